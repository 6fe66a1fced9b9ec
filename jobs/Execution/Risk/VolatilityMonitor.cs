namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// The largest relative move of the live price within a window of whole seconds, as the bars' maxMove5sBps counts it:
/// (max − min) / min over the trades of the seconds [s − (n−1), s] where s is the latest price's second. One low and
/// high per second in a ring allocated once: no allocation per price.
/// </summary>
internal sealed class VolatilityMonitor
{
    private const long Empty = long.MinValue / 2;

    private readonly long[] _second;
    private readonly decimal[] _min;
    private readonly decimal[] _max;
    private long _latestSecond = Empty; // far in the past, with room to subtract the window without overflow

    public VolatilityMonitor(int seconds)
    {
        _second = new long[seconds];
        Array.Fill(_second, Empty);
        _min = new decimal[seconds];
        _max = new decimal[seconds];
    }

    /// <summary>Adds a price and returns the window's move as a fraction (0.0015 = 0.15 %). A price older than the window is ignored (0).</summary>
    public decimal Add(long ts, decimal px)
    {
        var n = _second.Length;
        var s = Math.DivRem(ts, 1000L, out var rem) - (rem < 0 ? 1 : 0);
        if (s <= _latestSecond - n || px <= 0)
        {
            return 0m;
        }

        _latestSecond = Math.Max(_latestSecond, s);
        var i = (int)(((s % n) + n) % n);
        if (_second[i] != s)
        {
            _second[i] = s;
            _min[i] = px;
            _max[i] = px;
        }
        else
        {
            _min[i] = Math.Min(_min[i], px);
            _max[i] = Math.Max(_max[i], px);
        }

        var min = decimal.MaxValue;
        var max = decimal.MinValue;
        for (var k = 0; k < n; k++)
        {
            if (_second[k] > _latestSecond - n)
            {
                min = Math.Min(min, _min[k]);
                max = Math.Max(max, _max[k]);
            }
        }

        return (max - min) / min;
    }

    /// <summary>The seconds still inside the window (persisted, so a restart between two passes misses no move).</summary>
    public List<RiskPriceSecond> Save()
    {
        var seconds = new List<RiskPriceSecond>();
        for (var k = 0; k < _second.Length; k++)
        {
            if (_second[k] > _latestSecond - _second.Length)
            {
                seconds.Add(new RiskPriceSecond(_second[k], _min[k], _max[k]));
            }
        }

        seconds.Sort((a, b) => a.Second.CompareTo(b.Second));
        return seconds;
    }

    public void Restore(IEnumerable<RiskPriceSecond> seconds)
    {
        foreach (var s in seconds)
        {
            Add(s.Second * 1000, s.Min);
            Add(s.Second * 1000, s.Max);
        }
    }
}
