using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// Merges minute records and raw trades into the engine in event-time order: a minute M goes in
/// once no trade with ts &lt; M+1m remains, i.e. before the first trade with ts ≥ M+1m. Both inputs
/// must be sorted (minutes by minute, trades by ts).
/// </summary>
public static class EngineFeed
{
    /// <returns>The number of trades fed.</returns>
    public static long Run(PaperTradingEngine engine, IReadOnlyList<MinuteInputs> minutes, IEnumerable<TradeTick> trades,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(minutes);
        ArgumentNullException.ThrowIfNull(trades);
        var next = 0;
        long count = 0;
        foreach (var trade in trades)
        {
            while (next < minutes.Count && minutes[next].CloseTs <= trade.Ts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                engine.OnMinute(minutes[next++]);
            }

            engine.OnTrade(trade);
            count++;
        }

        while (next < minutes.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            engine.OnMinute(minutes[next++]);
        }

        return count;
    }
}
