namespace Pipeline.Jobs.Execution.Report;

/// <summary>Round trips of one direction (long or short): count, wins (net PnL &gt; 0), win rate in % and net PnL (quote).</summary>
public sealed record SideStats(int Trades, int Wins, decimal WinRatePct, decimal NetPnl)
{
    public static SideStats Of(IEnumerable<RoundTrip> trips)
    {
        var list = (trips ?? throw new ArgumentNullException(nameof(trips))).ToList();
        var wins = list.Count(t => t.NetPnl > 0);
        return new SideStats(list.Count, wins, list.Count == 0 ? 0 : wins * 100m / list.Count, list.Sum(t => t.NetPnl));
    }
}
