using Pipeline.Calculators.Records;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Bars;

/// <summary>
/// Which minutes of a raw day are final. Minute M is final when the raw data is known complete up to
/// M+1m: for an open day, the exporter watermark minus the allowed lateness; for a closed day
/// (Parquet twin or closed-day marker), the day's end. Never past now: no minute is made up ahead of
/// time. Without exporter state and without a closing proof nothing of the day is final. All
/// arithmetic is checked: an absent, absurd or extreme watermark yields fewer final minutes, never more.
/// </summary>
public static class Finality
{
    /// <summary>
    /// The exclusive end of the final minutes of <paramref name="day"/> (a minute boundary in
    /// [day start, day end]); <paramref name="dayFinal"/> when it is the day's end.
    /// </summary>
    public static long Bound(DateOnly day, bool closed, long? watermarkTs, TimeSpan lateness, long nowMs, out bool dayFinal)
    {
        checked
        {
            var dayStart = MinuteTime.DayStart(day);
            var dayEnd = MinuteTime.DayEnd(day);
            var latenessMs = lateness <= TimeSpan.Zero ? 0 : (long)lateness.TotalMilliseconds;
            long known;
            if (closed)
            {
                known = dayEnd;
            }
            else if (watermarkTs is { } w && w >= RawTradeRules.MinTs)
            {
                known = w - latenessMs; // w ≥ MinTs > 0 and lateness ≥ 0: cannot overflow
            }
            else
            {
                known = long.MinValue; // no exporter state: nothing of an open day is final
            }

            known = Math.Min(known, nowMs);
            var bound = Math.Clamp(known, dayStart, dayEnd);
            bound = dayStart + ((bound - dayStart) / MinuteTime.Ms * MinuteTime.Ms);
            dayFinal = bound == dayEnd;
            return bound;
        }
    }
}
