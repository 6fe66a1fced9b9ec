using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator;

/// <summary>
/// A stepped simulator (the demo's): event time stands at the start until the owner moves it, and each move
/// publishes exactly the tape up to the new now, so a recording that starts before the first move misses nothing.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class SteppedSimulatorTests
{
    [Fact]
    public async Task SimulatorHost_Stepped_PublishesNothingUntilAdvancedThenExactlyTheTapeUpToNow()
    {
        using var dir = new TempDir();
        var start = SimTestKit.PastStart.ToUnixTimeMilliseconds();
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTC-USDT-SWAP", "BTCUSDT"], Rate = 12, Seed = 3, Start = SimTestKit.PastStart, Stepped = true, TruthDir = dir.Path,
        });

        Assert.Equal(start, host.Clock.NowMs);
        Assert.Equal(start - 1, host.PublishedThroughMs);
        Assert.Equal(0, host.Context.Feed.TradesPublished("BTC-USDT-SWAP"));
        Assert.Null(host.Context.Feed.LastTradeIdPublished("BTCUSDT"));

        host.AdvanceTo(start + 30_000);
        host.AdvanceTo(start + 60_000);

        Assert.Equal(start + 60_000, host.Clock.NowMs);
        Assert.Equal(start + 60_000, host.PublishedThroughMs);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.AdvanceTo(start + 59_999));
        foreach (var instId in new[] { "BTC-USDT-SWAP", "BTCUSDT" })
        {
            // Counted independently from a generator of the same seed: OKX one trade per fill, Binance one per aggTrade.
            var instrument = SimInstruments.Find(instId);
            var market = new MarketGenerator(instrument, 3, 12);
            var ids = Enumerable.Range(0, 7).Select(k => market.Block(MarketGenerator.BlockOf(start) + k))
                .SelectMany(b => instrument.IsBinance
                    ? b.Prints.ToArray().Where(p => p.Ts >= start && p.Ts <= start + 60_000).Select(p => p.Ordinal)
                    : b.Fills.ToArray().Where(f => f.Ts >= start && f.Ts <= start + 60_000).Select(f => f.Id))
                .ToList();
            Assert.True(ids.Count > 100, $"{instId}: {ids.Count} trades in a minute");
            Assert.Equal(ids.Count, host.Context.Feed.TradesPublished(instId));
            Assert.Equal(ids[^1], host.Context.Feed.LastTradeIdPublished(instId));
        }

        await host.StopAsync();
        Assert.Throws<InvalidOperationException>(() => host.AdvanceTo(start + 70_000));
        var range = TruthLayout.ReadRange(dir.Path);
        Assert.Equal(start, range.StartTs);
        Assert.Equal(start + 60_000, range.EndTs);
        Assert.Equal(host.Context.Feed.TradesPublished("BTC-USDT-SWAP"),
            File.ReadLines(TruthLayout.TradesPath(dir.Path, "okx", "BTC-USDT-SWAP")).LongCount());
    }

    [Fact]
    public void SimClock_OnWallTime_RefusesToBeAdvanced()
    {
        var clock = new SimClock(TimeProvider.System, 0, 1);

        Assert.False(clock.IsStepped);
        Assert.Throws<InvalidOperationException>(() => clock.AdvanceTo(1));
    }
}
