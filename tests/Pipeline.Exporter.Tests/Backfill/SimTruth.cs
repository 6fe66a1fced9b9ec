using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Backfill;

/// <summary>
/// The expected trades of whole UTC days, computed from the simulator's deterministic generator (the same
/// market its archives and REST serve), written as a truth directory for <c>RawVerifier</c>.
/// </summary>
internal static class SimTruth
{
    /// <summary>The raw-trade form of every trade of <paramref name="day"/> (OKX fills, Binance aggTrades), in id order.</summary>
    public static List<RawTrade> Day(MarketGenerator market, DateOnly day)
    {
        var start = TradeTime.DayStartMs(day);
        return [.. SimRawTrades.Between(market, start, start + TradeTime.MsPerDay - 1)];
    }

    /// <summary>Writes {dir}/{exchange}/{instId}.jsonl for the days and {dir}/truth.json spanning them; returns the trade count.</summary>
    public static long Write(string dir, MarketGenerator market, DateOnly from, DateOnly to)
    {
        var path = TruthLayout.TradesPath(dir, market.Instrument.Exchange, market.Instrument.InstId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long count = 0;
        using (var file = JsonlAppender.Open(path))
        {
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                foreach (var trade in Day(market, day))
                {
                    RawTradeWriter.Write(file, trade);
                    file.EndLine();
                    count++;
                }
            }

            file.Sync();
        }

        var range = new TruthRange
        {
            StartTs = TradeTime.DayStartMs(from),
            EndTs = TradeTime.DayStartMs(to) + TradeTime.MsPerDay - 1,
            Instruments = [market.Instrument.InstId],
        };
        TruthLayout.WriteRange(dir, range);
        return count;
    }
}
