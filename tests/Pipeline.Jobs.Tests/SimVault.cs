using Pipeline.Exporter.Simulator.Market;
using Pipeline.Exporter.Simulator.Truth;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests;

/// <summary>Writes whole raw days from the simulator's deterministic market with the vault's own writer.</summary>
internal static class SimVault
{
    public const string Exchange = "okx";
    public const string InstId = "BTC-USDT-SWAP";

    /// <returns>Trades written.</returns>
    public static long WriteDays(VaultLayout vault, DateOnly first, int days, double fillsPerSecond, ulong seed = 7)
    {
        var instrument = SimInstruments.Find(InstId);
        var market = new MarketGenerator(instrument, seed, fillsPerSecond);
        long count = 0;
        for (var day = first; day < first.AddDays(days); day = day.AddDays(1))
        {
            var path = vault.RawDayJsonl(Exchange, InstId, day);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var appender = JsonlAppender.Open(path);
            var start = TradeTime.DayStartMs(day);
            for (var block = MarketGenerator.BlockOf(start); block < MarketGenerator.BlockOf(start + TradeTime.MsPerDay); block++)
            {
                foreach (var fill in market.Block(block).Fills.Span)
                {
                    RawTradeWriter.Write(appender, TruthWriter.ToRawTrade(instrument, fill));
                    appender.EndLine();
                    count++;
                }
            }

            appender.Sync();
        }

        return count;
    }

    /// <summary>The exporter state saying every trade before <paramref name="watermarkTs"/> is on disk.</summary>
    public static void Watermark(VaultLayout vault, long watermarkTs) =>
        new StateFile<ExporterState>(vault.ExporterState(Exchange, InstId)).Write(new ExporterState
        {
            Exchange = Exchange, InstId = InstId, WatermarkTs = watermarkTs, Connection = "stopped",
        });
}
