using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.GapFill;

/// <summary>REST trade history of one exchange, for filling id holes.</summary>
public interface IRestTradeSource
{
    /// <summary>
    /// Fetches every trade with <paramref name="fromExclusive"/> &lt; id &lt; <paramref name="toExclusive"/>
    /// (no upper bound when null: up to the newest) and hands them to <paramref name="post"/> in batches,
    /// oldest first. Returns false when the history did not reach back far enough (the range is not
    /// fully covered, e.g. older than the REST window).
    /// </summary>
    Task<bool> FetchAsync(int instrument, long fromExclusive, long? toExclusive,
        Func<IReadOnlyList<TradeItem>, CancellationToken, Task> post, CancellationToken token);

    /// <summary>The newest trade (id, event time) REST has for the instrument, or null when it has none.</summary>
    Task<(long Id, long Ts)?> LatestAsync(int instrument, CancellationToken token);
}
