using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator;
using Pipeline.Simulator.Faults;
using Pipeline.Exporter.Tests.Service;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Testing;
using Pipeline.Vault.Layout;

namespace Pipeline.Exporter.Tests.Connection;

/// <summary>
/// How connections end, as the server sees it (the simulator records the close code it received): a stop
/// or a handover is a close frame 1000, not a dropped socket (1006); a link that answers no ping is dropped.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class WsSessionCloseTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public WsSessionCloseTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Stop_Shutdown_ServerReceivesNormalClosure(string exchange, string instId)
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = [instId], Rate = 20, Time = time });
        var sink = new CollectingSink();
        var service = new ExporterService(QuietInstrumentTests.Options(sim, exchange, instId), _vault, time, sink.Logger());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        var driver = new FakeClockDriver(time, sim, service);
        await driver.RunUntilAsync(() => service.Recorders.Count == 1 && service.Recorders[0].Trades > 0, "the first trade", TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        await Waits.UntilAsync(() => sim.Context.Closes.Count == 1, TimeSpan.FromSeconds(10), "the server to record the close");

        var close = Assert.Single(sim.Context.Closes);
        Assert.Equal(1000, close.ClientCode);
        Assert.False(close.ServerInitiated);
    }

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Handover_ConnectionAgeLimit_OldConnectionClosedWithNormalClosure(string exchange, string instId)
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = [instId], Rate = 20, Time = time });
        var options = QuietInstrumentTests.Options(sim, exchange, instId) with { MaxConnectionAge = TimeSpan.FromMinutes(1) };
        var sink = new CollectingSink();
        var service = new ExporterService(options, _vault, time, sink.Logger());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        var driver = new FakeClockDriver(time, sim, service);
        await driver.RunUntilAsync(() => sim.Context.Closes.Count >= 1, "the first handover", TimeSpan.FromMinutes(3));

        var close = sim.Context.Closes.First();
        Assert.Equal(1000, close.ClientCode);
        Assert.False(close.ServerInitiated);
        Assert.Equal(0, service.Reconnects);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Run_PingsUnanswered_DeadLinkIsDroppedAndReconnected(string exchange, string instId)
    {
        // A stalled simulator socket stays open but sends nothing, answers included.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [instId], Rate = 20, Time = time, Faults = FaultSpec.Parse("stall=40s"),
        });
        var sink = new CollectingSink();
        var service = new ExporterService(QuietInstrumentTests.Options(sim, exchange, instId), _vault, time, sink.Logger());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        var driver = new FakeClockDriver(time, sim, service) { PingBound = TimeSpan.FromMilliseconds(100), Step = TimeSpan.FromSeconds(1) };
        await driver.RunUntilAsync(() => service.Reconnects >= 1 && sim.Context.Connections >= 2, "a reconnect", TimeSpan.FromMinutes(5));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(sink.Events, e => e.Text.Contains("dead connection", StringComparison.Ordinal));
    }
}
