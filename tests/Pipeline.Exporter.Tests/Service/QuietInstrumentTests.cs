using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Service;

/// <summary>
/// A quiet instrument (no trade for minutes) on a connection that answers its pings is alive: no reconnect,
/// and its watermark moves with time, so minute outputs can become final through the silence. The simulator
/// and the exporter share a fake clock: five simulated minutes pass in a few real seconds.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class QuietInstrumentTests : IDisposable
{
    private static readonly DateTimeOffset Start = SimTestKit.PastStart;
    private static readonly DateTimeOffset SilenceFrom = Start.AddMinutes(3);
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(5);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public QuietInstrumentTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Run_QuietFiveMinutesWithPingsAnswered_NoReconnectAndWatermarkAdvances(string exchange, string instId)
    {
        var time = new FakeTimeProvider(Start);
        var truth = _dir.File("truth");
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [instId], Rate = 20, Seed = 5, Time = time, TruthDir = truth,
            Silences = [new SimSilence(instId, SilenceFrom, Silence)],
        });
        var sink = new CollectingSink();
        var service = new ExporterService(Options(sim, exchange, instId), _vault, time, sink.Logger());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        var driver = new FakeClockDriver(time, sim, service) { Step = TimeSpan.FromMilliseconds(500) };
        await driver.RunUntilAsync(() => service.Recorders.Count == 1 && service.Recorders[0].Trades > 0, "the first trade", TimeSpan.FromSeconds(30));

        // Through the silence: sample the writer's watermark (written to the state within a second) every simulated minute.
        var samples = new List<(DateTimeOffset At, long Watermark, string Why)>();
        var next = SilenceFrom.AddMinutes(1);
        await driver.RunUntilAsync(SilenceFrom + Silence, () =>
        {
            if (time.GetUtcNow() >= next)
            {
                var r = service.Recorders[0];
                samples.Add((time.GetUtcNow(), r.WatermarkTs,
                    $"{r.TimeAdvances} advances by time, {service.Pongs} of {service.Pings} pings answered, {r.PendingIds} ids pending, {r.GapFilled} gap-filled, {service.Reconnects} reconnects"));
                next = next.AddMinutes(1);
            }
        });
        var tradesInSilence = service.Recorders[0].Trades;
        await driver.RunUntilAsync(SilenceFrom + Silence + TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, service.Reconnects);
        Assert.Equal(1, sim.Context.Connections);
        Assert.True(service.Pongs >= Silence / TimeSpan.FromSeconds(20) - 1, $"{service.Pongs} of {service.Pings} pings answered");
        Assert.Equal(5, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            // Each simulated minute of silence the watermark is within a ping interval (plus a step) of the clock.
            var lag = samples[i].At.ToUnixTimeMilliseconds() - samples[i].Watermark;
            Assert.True(lag is >= 0 and <= 25_000, $"minute {i + 1} of the silence: watermark {lag} ms behind the clock (then: {samples[i].Why}; at the end: {service.Recorders[0].TimeAdvances} advances by time, {service.Pongs} pongs, offset {service.Recorders[0].ExchangeOffset})\n"
                + string.Join("\n", sink.Events.Where(e => e.Level >= Serilog.Events.LogEventLevel.Information).Select(e => e.Text)));
        }

        Assert.Contains(sink.Events, e => e.Text.Contains("quiet market", StringComparison.Ordinal));
        Assert.True(service.Recorders[0].Trades > tradesInSilence, "trading resumed after the silence");

        // Nothing lost across the silence, nothing recorded in it, and no trade after it below the watermark of its arrival.
        var end = State(exchange, instId).WatermarkTs;
        var first = RawTradeFile.ReadAll(_vault.RawDayJsonl(exchange, instId, DateOnly.FromDateTime(Start.UtcDateTime)))[0];
        var report = new RawVerifier(_vault).Verify(new VerifyOptions
        {
            Exchanges = [exchange], InstIds = [instId], FromTs = first.Ts, ToTs = end - 2_000, TruthDir = truth,
        });
        Assert.Equal(0, report.Missing);
        Assert.Equal(0, report.Duplicates);
        var inSilence = RawTradeFile.ReadAll(_vault.RawDayJsonl(exchange, instId, DateOnly.FromDateTime(Start.UtcDateTime)))
            .Count(t => t.Ts >= SilenceFrom.ToUnixTimeMilliseconds() && t.Ts < (SilenceFrom + Silence).ToUnixTimeMilliseconds());
        Assert.Equal(0, inSilence);
    }

    private ExporterState State(string exchange, string instId) =>
        new StateFile<ExporterState>(_vault.ExporterState(exchange, instId)).Read() ?? new ExporterState { Exchange = exchange, InstId = instId };

    internal static ExporterOptions Options(SimulatorHost sim, string exchange, params string[] instIds) => new()
    {
        Exchange = exchange,
        InstIds = instIds,
        OkxWsPublic = sim.Endpoints.OkxWsPublic,
        OkxWsBusiness = sim.Endpoints.OkxWsBusiness,
        OkxRest = sim.Endpoints.OkxRest,
        BinanceWs = sim.Endpoints.BinanceWs,
        BinanceRest = sim.Endpoints.BinanceRest,
        ReorderWindow = TimeSpan.FromMilliseconds(500),
        RestInterval = TimeSpan.FromMilliseconds(20),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
    };
}
