using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Recording;

public sealed class InstrumentPumpTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 2);
    private static readonly long Midnight = TradeTime.DayStartMs(Day);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly OkxFrameParser _parser = new(["BTC-USDT-SWAP", "ETH-USDT-SWAP"]);
    // A clock that moves only when told: the pump's retry backoff and the recorders' now (one hour into the day).
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Midnight + (60 * TradeTime.MsPerMinute)));

    public InstrumentPumpTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private TradeItem Trade(string instId, long id, long ts)
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(TestSpecs.OkxTradeFrame(instId, id, ts), ts + 5, TradeSource.Ws));
        return _parser.Items[0];
    }

    [Fact]
    public async Task Run_OneInstrumentCannotWrite_OnlyItStops_OthersGoOn_AndItRecoversWhenItCanWriteAgain()
    {
        var eth = TestSpecs.OkxLinear with { InstId = "ETH-USDT-SWAP", CtValCcy = "ETH", BaseCcy = "ETH" };
        var sink = new CollectingSink();
        using var btcRecorder = Recorder(TestSpecs.OkxLinear, sink);
        using var ethRecorder = Recorder(eth, sink);
        (long From, long? To)? asked = null;
        btcRecorder.FillRequested = (from, to) => asked = (from, to);
        var btc = new InstrumentPump(btcRecorder, 64, sink.Logger(), _time);
        var ethPump = new InstrumentPump(ethRecorder, 64, sink.Logger(), _time);
        var runs = new[] { Task.Run(btc.RunAsync), Task.Run(ethPump.RunAsync) };

        await btc.PostAsync(Trade("BTC-USDT-SWAP", 1, Midnight - 10), CancellationToken.None); // yesterday's file: fine
        // Today's BTC file cannot be created (a directory sits at its path; chmod would not stop root).
        var blocked = _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", Day);
        Directory.CreateDirectory(blocked);
        await btc.PostAsync(Trade("BTC-USDT-SWAP", 2, Midnight + 10), CancellationToken.None);
        await WaitAsync("the BTC write failure", () => btc.Failure is not null);
        await btc.PostAsync(Trade("BTC-USDT-SWAP", 3, Midnight + 20), CancellationToken.None); // dropped while failed
        for (var id = 1; id <= 3; id++)
        {
            await ethPump.PostAsync(Trade("ETH-USDT-SWAP", id, Midnight + id), CancellationToken.None);
        }

        ethPump.Complete();
        await runs[1]; // ETH wrote everything and ended normally
        ethRecorder.WriteState(); // syncs its files
        Assert.Equal(["1", "2", "3"], RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", "ETH-USDT-SWAP", Day)).Select(t => t.TradeId));
        Assert.False(runs[0].IsCompleted); // BTC's writer did not end the process either
        Assert.Contains(sink.Events, e => e.Text.Contains("the others go on", StringComparison.Ordinal));

        Directory.Delete(blocked);
        _time.Advance(TimeSpan.FromSeconds(1));
        btc.TryPost(TradeItem.Control(TradeItemKind.Tick));
        await WaitAsync("the BTC recovery", () => btc.Failure is null);
        Assert.Equal((1L, (long?)null), asked); // REST is asked for everything after the last id on disk
        await btc.PostAsync(Trade("BTC-USDT-SWAP", 2, Midnight + 10), CancellationToken.None); // as REST would refill it
        btc.Complete();
        await runs[0];
        btcRecorder.WriteState();
        Assert.Equal(["2"], RawTradeFile.ReadAll(blocked).Select(t => t.TradeId));
        Assert.True(btc.Dropped >= 1); // trade 3, refilled from REST in production
    }

    private InstrumentRecorder Recorder(InstrumentSpec spec, CollectingSink sink)
    {
        var recorder = new InstrumentRecorder(spec, _vault, TestSpecs.Options("okx", spec.InstId), _time, sink.Logger());
        recorder.Open();
        return recorder;
    }

    private static Task<bool> WaitAsync(string what, Func<bool> condition) => Waits.UntilAsync(condition, TimeSpan.FromSeconds(20), what);
}
