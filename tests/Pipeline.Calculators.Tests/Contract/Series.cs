using System.Globalization;
using Pipeline.Calculators.Bars;

namespace Pipeline.Calculators.Tests.Contract;

/// <summary>
/// A deterministic minute series for the indicator contract: trading minutes (1–4 trades on a price
/// walk in 0.01 ticks), quiet minutes (a bar without trades, OHLC carried from the last close, as the
/// bars stage writes them) and gaps (no bar at all). The trades are the truth the baselines read; the
/// bars are aggregated from them here, as the bars stage would.
/// </summary>
public sealed class Series
{
    private readonly Random _random;
    private readonly List<SeriesMinute> _minutes = [];
    private decimal _px = 100m;
    private long _next;

    public Series(long start, int seed = 11)
    {
        _next = start;
        _random = new Random(seed);
    }

    public IReadOnlyList<SeriesMinute> Minutes => _minutes;

    public Series Trading(int minutes)
    {
        for (var m = 0; m < minutes; m++)
        {
            var fills = new List<Fill>();
            for (var n = _random.Next(1, 5); n > 0; n--)
            {
                _px = Math.Max(50m, _px + (_random.Next(-20, 21) * 0.01m));
                fills.Add(new Fill(_px, _random.Next(1, 2000) / 1000m, _random.Next(2) == 0));
            }

            Add(fills);
        }

        return this;
    }

    public Series Quiet(int minutes)
    {
        for (var m = 0; m < minutes; m++)
        {
            Add([]);
        }

        return this;
    }

    /// <summary>Minutes with no bar at all (the series resumes after them).</summary>
    public Series Gap(int minutes)
    {
        _next += minutes * 60_000L;
        return this;
    }

    /// <summary>The bars_1m records of the series.</summary>
    public List<BarRecord> Bars() => BarsOf(_minutes);

    /// <summary>The bars_1m records of <paramref name="minutes"/>.</summary>
    public static List<BarRecord> BarsOf(IReadOnlyList<SeriesMinute> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var bars = new List<BarRecord>(minutes.Count);
        var close = 100m;
        long id = 1;
        foreach (var m in minutes)
        {
            if (m.Fills.Count == 0)
            {
                bars.Add(new BarRecord
                {
                    Minute = m.Minute, Open = close, High = close, Low = close, Close = close, Trades = 0, VolBase = 0,
                    VolQuote = 0, BuyVolBase = 0, SellVolBase = 0, SumPx2Qty = 0, MaxMove5sBps = 0,
                });
                continue;
            }

            var first = id;
            id += m.Fills.Count;
            close = m.Fills[^1].Px;
            bars.Add(new BarRecord
            {
                Minute = m.Minute,
                Open = m.Fills[0].Px,
                High = m.Fills.Max(f => f.Px),
                Low = m.Fills.Min(f => f.Px),
                Close = close,
                Trades = m.Fills.Count,
                VolBase = m.Fills.Sum(f => f.Qty),
                VolQuote = m.Fills.Sum(f => f.Px * f.Qty),
                BuyVolBase = m.Fills.Where(f => f.Buy).Sum(f => f.Qty),
                SellVolBase = m.Fills.Where(f => !f.Buy).Sum(f => f.Qty),
                SumPx2Qty = m.Fills.Sum(f => f.Px * f.Px * f.Qty),
                FirstTradeId = first.ToString(CultureInfo.InvariantCulture),
                LastTradeId = (id - 1).ToString(CultureInfo.InvariantCulture),
                MaxMove5sBps = 0,
            });
        }

        return bars;
    }

    private void Add(IReadOnlyList<Fill> fills)
    {
        _minutes.Add(new SeriesMinute(_next, fills));
        _next += 60_000L;
    }
}
