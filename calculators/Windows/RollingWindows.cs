using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Contract;

namespace Pipeline.Calculators.Windows;

/// <summary>
/// Running sums over the last 60 and 240 minute buckets and the current session, O(1) per minute:
/// each new bucket is added and the bucket leaving each window subtracted (a ring of 240 buckets).
/// A window whose trade count drops to zero is reset to exact zeros, so rounding residue of
/// inverse-contract quantities can never leave a phantom volume behind.
/// </summary>
public static class RollingWindows
{
    /// <summary>The 1h window: its outputs are warm after 60 minutes of bars.</summary>
    public const int Hour = 60;

    /// <summary>The 4h window: its outputs are warm after 240 minutes of bars.</summary>
    public const int FourHours = 240;

    /// <summary>Buckets kept: the longest window.</summary>
    public const int Ring = FourHours;

    /// <summary>The warm-up of the 1h window's outputs.</summary>
    public static WarmUp HourWarmUp { get; } = WarmUp.Of(Hour);

    /// <summary>The warm-up of the 4h window's outputs.</summary>
    public static WarmUp FourHoursWarmUp { get; } = WarmUp.Of(FourHours);

    public static WindowState NewState() => new()
    {
        Q = new decimal[Ring], Pq = new decimal[Ring], P2q = new decimal[Ring], N = new long[Ring],
    };

    public static void Add(WindowState s, BarRecord bar, int sessionResetHour)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(bar);
        if (s.LastMinute is { } last)
        {
            var gap = (bar.Minute - last) / MinuteTime.Ms;
            if (gap >= Ring + 1)
            {
                Clear(s);
            }
            else
            {
                for (var i = 1; i < gap; i++)
                {
                    Push(s, 0, 0, 0, 0);
                }
            }
        }
        else
        {
            s.FirstMinute = bar.Minute;
        }

        Push(s, bar.VolBase, bar.VolQuote, bar.SumPx2Qty, bar.Trades);
        s.LastMinute = bar.Minute;

        var session = MinuteTime.SessionStart(bar.Minute, sessionResetHour);
        if (s.SessionStart != session)
        {
            s.SessionStart = session;
            s.Session = new WindowSums();
        }

        s.Session.Add(bar.VolBase, bar.VolQuote, bar.SumPx2Qty, bar.Trades);
    }

    /// <summary>True once the series satisfies <paramref name="warmUp"/> (a declared output's warm-up).</summary>
    public static bool Warm(WindowState s, WarmUp warmUp) =>
        Warm(s, warmUp.Minutes) && (!warmUp.FromSessionStart || SessionWarm(s));

    /// <summary>True once the series has covered <paramref name="minutes"/> minutes ending with the last bar.</summary>
    public static bool Warm(WindowState s, int minutes) =>
        s.FirstMinute is { } first && s.LastMinute is { } last && last - first >= (minutes - 1) * MinuteTime.Ms;

    /// <summary>True when the series started at or before the current session's start.</summary>
    public static bool SessionWarm(WindowState s) => s.FirstMinute is { } first && first <= s.SessionStart;

    private static void Push(WindowState s, decimal q, decimal pq, decimal p2q, long n)
    {
        s.Head = (s.Head + 1) % Ring;
        var hourOut = (s.Head - Hour + Ring) % Ring;
        s.H1.Remove(s.Q[hourOut], s.Pq[hourOut], s.P2q[hourOut], s.N[hourOut]);
        s.H4.Remove(s.Q[s.Head], s.Pq[s.Head], s.P2q[s.Head], s.N[s.Head]);
        s.Q[s.Head] = q;
        s.Pq[s.Head] = pq;
        s.P2q[s.Head] = p2q;
        s.N[s.Head] = n;
        s.H1.Add(q, pq, p2q, n);
        s.H4.Add(q, pq, p2q, n);
    }

    private static void Clear(WindowState s)
    {
        Array.Clear(s.Q);
        Array.Clear(s.Pq);
        Array.Clear(s.P2q);
        Array.Clear(s.N);
        s.H1 = new WindowSums();
        s.H4 = new WindowSums();
    }
}

/// <summary>Persisted ring and sums (part of the vwap and bands states).</summary>
public sealed class WindowState
{
    public long? FirstMinute { get; set; }
    public long? LastMinute { get; set; }
    public int Head { get; set; }
    public decimal[] Q { get; set; } = [];
    public decimal[] Pq { get; set; } = [];
    public decimal[] P2q { get; set; } = [];
    public long[] N { get; set; } = [];
    public WindowSums H1 { get; set; } = new();
    public WindowSums H4 { get; set; } = new();
    public long SessionStart { get; set; } = long.MinValue;
    public WindowSums Session { get; set; } = new();
}

/// <summary>Σ qtyBase, Σ px·qtyBase, Σ px²·qtyBase and the trade count of one window.</summary>
public sealed class WindowSums
{
    public decimal Q { get; set; }
    public decimal Pq { get; set; }
    public decimal P2q { get; set; }
    public long N { get; set; }

    public void Add(decimal q, decimal pq, decimal p2q, long n)
    {
        Q += q;
        Pq += pq;
        P2q += p2q;
        N += n;
    }

    public void Remove(decimal q, decimal pq, decimal p2q, long n)
    {
        N -= n;
        if (N == 0)
        {
            Q = 0;
            Pq = 0;
            P2q = 0;
            return;
        }

        Q -= q;
        Pq -= pq;
        P2q -= p2q;
    }

    /// <summary>Σpq/Σq, or null without volume.</summary>
    public decimal? Vwap => Q > 0 ? Pq / Q : null;
}
