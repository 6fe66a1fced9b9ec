using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator.Truth;

[Collection(SocketTestGroup.Collection)]
public sealed class TruthWriterTests
{
    [Fact]
    public async Task Truth_EveryPublishedTradeInRange_RawTradeLines()
    {
        using var dir = new TempDir();
        var options = new SimulatorOptions
        {
            Rate = 50,
            Speed = 20,
            Start = SimTestKit.PastStart,
            Instruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP", "BTCUSDT"],
            TruthDir = dir.Path,
        };
        await using (var host = await SimTestKit.StartAsync(options))
        {
            // The live range moves while the simulator runs (flushed about once a second): wait until it covers
            // more than 10 s of event time, the span checked below.
            var start = SimTestKit.PastStart.ToUnixTimeMilliseconds();
            await Waits.UntilAsync(() => TruthLayout.ReadRange(dir.Path).EndTs > start + 10_000, SimTestKit.Bound, "a live range past 10 s");
            var live = TruthLayout.ReadRange(dir.Path);
            Assert.Equal(start, live.StartTs);
            Assert.True(live.EndTs <= host.PublishedThroughMs, "the live range claims only what was published");
            await host.StopAsync();
        }

        var range = TruthLayout.ReadRange(dir.Path);
        Assert.True(range.EndTs > range.StartTs + 10_000, $"{range.StartTs}..{range.EndTs}");
        foreach (var instId in new[] { "BTC-USDT-SWAP", "BTC-USD-SWAP", "BTCUSDT" })
        {
            var instrument = SimInstruments.Find(instId);
            var generator = new MarketGenerator(instrument, 1, 50);
            var lines = File.ReadAllLines(TruthLayout.TradesPath(dir.Path, instrument.Exchange, instId))
                .Select(l => l + "\n").ToList();
            var expected = instrument.IsOkx
                ? generator.FillsBetween(range.StartTs, range.EndTs).Select(f => RawTradeWriter.ToLine(TruthWriter.ToRawTrade(instrument, f))).ToList()
                : generator.PrintsBetween(range.StartTs, range.EndTs).Select(p => RawTradeWriter.ToLine(TruthWriter.ToRawTrade(instrument, p))).ToList();
            Assert.True(expected.Count > 100);
            Assert.Equal(expected, lines);
        }

        var inverse = File.ReadLines(TruthLayout.TradesPath(dir.Path, "okx", "BTC-USD-SWAP")).First();
        Assert.Contains("\"ctType\":\"inverse\"", inverse, StringComparison.Ordinal);
        Assert.Contains("\"src\":\"ws\"", inverse, StringComparison.Ordinal);
        var binance = File.ReadLines(TruthLayout.TradesPath(dir.Path, "binance", "BTCUSDT")).First();
        Assert.Contains("\"firstId\":", binance, StringComparison.Ordinal);
        Assert.Contains("\"ctValCcy\":\"BTC\"", binance, StringComparison.Ordinal);
    }

    [Fact]
    public void SimRawTrades_InverseQtyBase_AndBinanceIds()
    {
        var from = SimTestKit.PastStart.ToUnixTimeMilliseconds();
        var inverse = SimRawTrades.Between("BTC-USD-SWAP", from, from + 10_000, rate: 20).First();
        Assert.Equal("inverse", inverse.CtType);
        Assert.Equal(ExactDecimal.Parse(inverse.Sz) * 100m / ExactDecimal.Parse(inverse.Px), ExactDecimal.Parse(inverse.QtyBase));
        var binance = SimRawTrades.Between("BTCUSDT", from, from + 10_000, rate: 20).ToList();
        Assert.All(binance, t => Assert.Equal(ExactDecimal.Parse(t.Sz), ExactDecimal.Parse(t.QtyBase)));
        Assert.All(binance, t => Assert.False(t.QtyBase.Contains('.', StringComparison.Ordinal) && t.QtyBase.EndsWith('0')));
        Assert.All(binance, t => Assert.True(t.FirstId <= t.LastId));
    }
}
