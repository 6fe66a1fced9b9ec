using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Jobs.Health;
using Pipeline.Jobs.Hosting;
using Pipeline.Jobs.Trading;
using Pipeline.Jobs.Tests.Trading;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>
/// /health and /metrics of a live strategy: read from its executor's status (<see cref="VenueExecutor.Status"/>) and its
/// service's state; not ready while the executor is not stepping, after a refused key, or under a halt.
/// </summary>
public sealed class LiveStrategyHealthTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly LiveTrading _live;

    public LiveStrategyHealthTests()
    {
        var (key, secret) = LivePlanTests.NewKey();
        var strategies = LivePlan.Decide([LivePlanTests.Strategy("live_btc", "binance", "BTCUSDT", "live")], TradingConfig.Default with
        {
            Binance = new Exporter.Binance.Trading.BinanceVenueOptions { Rest = new Uri("http://127.0.0.1:9100"), Testnet = true },
        }, confirmFlag: true, LivePlanTests.Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)));
        _live = new LiveTrading(strategies);
    }

    private LiveStrategyRun Run => _live.Runs[0];

    public void Dispose() => _dir.Dispose();

    private HealthReport Read()
    {
        var config = PipelineConfigLoader.Load(null, new Dictionary<string, string>
        {
            ["PIPELINE_EXCHANGES__OKX__ENABLED"] = "false",
            ["PIPELINE_EXCHANGES__BINANCE__ENABLED"] = "false",
        }, [new ConfigOverride(ConfigKeys.Vault, _dir.Path, "--vault")], _dir.Path);
        return new HealthProbe(config, new VaultLayout(_dir.Path), new HostExporters(), new JobStats(_time), [], _time, _live).Read();
    }

    private static VenueExecutorStatus Status(DateTimeOffset? lastStep, params string[] halts) => new("live_btc", "binance",
        OrdersSent: 4, OrdersRejected: 1, Fills: 3, Position: -0.012m, RealizedPnl: 3.5m, UnrealizedPnl: -1.25m, FeesPaid: 0.4m,
        LastMinuteMs: 1_767_614_340_000, LastStepAt: lastStep, LastError: null, Halts: halts);

    [Fact]
    public async Task Health_LiveStrategyStepping_ReadyAndListsVenuePositionPnlAndMetrics()
    {
        Run.Running(() => Status(Now.AddSeconds(-2)));

        var report = Read();

        Assert.True(report.Ready, string.Join("; ", report.Reasons));
        var live = Assert.Single(report.LiveStrategies);
        Assert.Equal(("live_btc", "binance", "BTCUSDT", "http://127.0.0.1:9100", true, "running", true),
            (live.Strategy, live.Venue, live.Inst, live.Endpoint, live.Testnet, live.State, live.Connected));
        Assert.Equal(2, live.LastStepAgeSeconds);
        Assert.Equal((4L, 1L, 3L, -0.012m, 3.5m, -1.25m, 0.4m), (live.OrdersSent, live.OrdersRejected, live.Fills, live.Position, live.RealizedPnl,
            live.UnrealizedPnl, live.FeesPaid));
        Assert.Empty(live.Halts);
        Assert.Null(live.LastError);

        var metrics = new PipelineMetrics();
        metrics.Update(report);
        var text = await Text(metrics);
        const string labels = "{strategy=\"live_btc\",venue=\"binance\"}";
        Assert.Equal(1, Value(text, "pipeline_live_connected" + labels));
        Assert.Equal(4, Value(text, "pipeline_live_orders_sent_total" + labels));
        Assert.Equal(1, Value(text, "pipeline_live_orders_rejected_total" + labels));
        Assert.Equal(3, Value(text, "pipeline_live_fills_total" + labels));
        Assert.Equal(-0.012, Value(text, "pipeline_live_position" + labels), 9);
        Assert.Equal(3.5, Value(text, "pipeline_live_realized_pnl" + labels));
        Assert.Equal(-1.25, Value(text, "pipeline_live_unrealized_pnl" + labels));
        Assert.Equal(0.4, Value(text, "pipeline_live_fees_paid" + labels), 9);
        Assert.Equal(2, Value(text, "pipeline_live_last_step_age_seconds" + labels));
        Assert.Equal(0, Value(text, "pipeline_live_risk_halts" + labels));
        Assert.Equal(1, Value(text, "pipeline_ready"));
    }

    [Fact]
    public void Health_LiveStrategyStartedNoStepYet_NotReadyStarting()
    {
        Run.Running(() => Status(null));

        var report = Read();

        Assert.Equal("live live_btc on binance: executor starting (connecting and reconciling with the venue)", Assert.Single(report.Reasons));
        Assert.False(Assert.Single(report.LiveStrategies).Connected);
    }

    [Fact]
    public void Health_LiveStrategyNoStepFor31Seconds_NotReadyStalled()
    {
        Run.Running(() => Status(Now.AddSeconds(-31)));

        var report = Read();

        Assert.Equal("live live_btc on binance: no executor step for 31 s", Assert.Single(report.Reasons));
        Assert.False(Assert.Single(report.LiveStrategies).Connected);
    }

    [Fact]
    public async Task Health_LiveStrategyKeyRefused_NotReadyWithTheLineAndDisconnected()
    {
        Run.Running(() => Status(Now.AddSeconds(-1)));
        Run.Ended(LiveRunStates.AuthFailed, "live trading stopped: strategy live_btc on binance: the venue refused the credentials (API key ****abcd): -2015 Invalid API-key");

        var report = Read();

        Assert.Equal("live live_btc on binance: executor auth failed: live trading stopped: strategy live_btc on binance: the venue refused the credentials (API key ****abcd): -2015 Invalid API-key",
            Assert.Single(report.Reasons));
        var live = Assert.Single(report.LiveStrategies);
        Assert.Equal(("auth failed", false), (live.State, live.Connected));
        Assert.Equal(3, live.Fills); // the last status is kept after the executor ended
        var metrics = new PipelineMetrics();
        metrics.Update(report);
        Assert.Equal(0, Value(await Text(metrics), "pipeline_live_connected{strategy=\"live_btc\",venue=\"binance\"}"));
    }

    [Fact]
    public void Health_LiveStrategyRestarting_NotReadyNamingTheError()
    {
        Run.Ended(LiveRunStates.Restarting, "binance: GET /fapi/v1/time: connection refused");

        var report = Read();

        Assert.Equal("live live_btc on binance: executor restarting: binance: GET /fapi/v1/time: connection refused", Assert.Single(report.Reasons));
        Assert.Equal("binance: GET /fapi/v1/time: connection refused", Assert.Single(report.LiveStrategies).LastError);
    }

    [Fact]
    public async Task Health_LiveStrategyHalted_NotReadyNamingTheHalt()
    {
        Run.Running(() => Status(Now.AddSeconds(-1), "daily_loss until 2026-01-06T00:00:00.000Z: loss 52.10 ≥ 50"));

        var report = Read();

        Assert.Equal("live_btc: daily_loss until 2026-01-06T00:00:00.000Z: loss 52.10 ≥ 50", Assert.Single(report.RiskHalts));
        Assert.Equal("risk halt: live_btc: daily_loss until 2026-01-06T00:00:00.000Z: loss 52.10 ≥ 50", Assert.Single(report.Reasons));
        var metrics = new PipelineMetrics();
        metrics.Update(report);
        Assert.Equal(1, Value(await Text(metrics), "pipeline_live_risk_halts{strategy=\"live_btc\",venue=\"binance\"}"));
    }

    private static async Task<string> Text(PipelineMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no series {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }
}
