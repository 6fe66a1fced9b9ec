namespace Pipeline.Calculators.Tests.Contract;

/// <summary>
/// Baseline helpers that recompute from the raw trades of a series, the slow obvious way (a full scan
/// per minute, calendar arithmetic for sessions), so they share no code with the indicators.
/// </summary>
public static class Naive
{
    public const long Minute = 60_000L;

    /// <summary>The trades whose minute lies in [from, to) (Unix ms), in series order (the minutes are ascending).</summary>
    public static List<Fill> Fills(IReadOnlyList<SeriesMinute> series, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(series);
        var fills = new List<Fill>();
        for (var i = First(series, from); i < series.Count && series[i].Minute < to; i++)
        {
            fills.AddRange(series[i].Fills);
        }

        return fills;
    }

    /// <summary>The index of the first minute at or after <paramref name="from"/>.</summary>
    private static int First(IReadOnlyList<SeriesMinute> series, long from)
    {
        int lo = 0, hi = series.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = series[mid].Minute < from ? (mid + 1, hi) : (lo, mid);
        }

        return lo;
    }

    /// <summary>The trades of the <paramref name="minutes"/> minutes ending with (and including) <paramref name="minute"/>.</summary>
    public static List<Fill> Window(IReadOnlyList<SeriesMinute> series, long minute, int minutes) =>
        Fills(series, minute + Minute - (minutes * Minute), minute + Minute);

    /// <summary>True when the series, from its first minute to <paramref name="minute"/>, spans <paramref name="minutes"/> minutes.</summary>
    public static bool Spans(IReadOnlyList<SeriesMinute> series, long minute, int minutes) =>
        (minute - series[0].Minute) / Minute + 1 >= minutes;

    /// <summary>Start of the session holding <paramref name="minute"/>: the last resetHour:00 UTC at or before it.</summary>
    public static long SessionStart(long minute, int resetHour)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(minute);
        var start = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero).AddHours(resetHour);
        return (start > time ? start.AddDays(-1) : start).ToUnixTimeMilliseconds();
    }

    /// <summary>Σ px·q / Σ q, or null without volume.</summary>
    public static decimal? Vwap(IReadOnlyCollection<Fill> fills)
    {
        var q = fills.Sum(f => f.Qty);
        return q > 0 ? fills.Sum(f => f.Px * f.Qty) / q : null;
    }
}
