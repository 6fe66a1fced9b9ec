using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Health;
using Pipeline.Jobs.Hosting;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>
/// What /health and /metrics say, from a vault the real paper executor wrote (as in StatusStrategiesTests): minute 0
/// closes at 980, a long limit at 980 fills at 12:01:10 (1000 notional: 1000 / 980 = 1.020408163265 BTC, entry fee 0.2);
/// minute 1 closes at 990, so the unrealised PnL net of the entry fee is 1000 × 10 / 980 − 0.2 = 10.00408….
/// </summary>
public sealed class HealthProbeTests : IDisposable
{
    private const string Id = "vwap_mean_reversion";
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly JobStats _jobs;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 3, 12, 5, 0, TimeSpan.Zero));

    public HealthProbeTests()
    {
        _vault = new VaultLayout(_dir.Path);
        var fixture = TestVault.Over(_vault);
        fixture.AppendTrade(At(0, 30_000), 990m);
        fixture.Minute(Minute(0), 980m);
        fixture.AppendTrade(At(1, 10_000), 979m);
        fixture.Minute(Minute(1), 990m);
        new LiveExecutor(_vault, CreateConfig()).RunOnce();
        _jobs = new JobStats(_time);
    }

    public void Dispose() => _dir.Dispose();

    private HealthProbe Probe()
    {
        var config = PipelineConfigLoader.Load(null, new Dictionary<string, string>
        {
            ["PIPELINE_EXCHANGES__OKX__ENABLED"] = "false",
            ["PIPELINE_EXCHANGES__BINANCE__ENABLED"] = "false",
        }, [new ConfigOverride(ConfigKeys.Vault, _dir.Path, "--vault")], _dir.Path);
        return new HealthProbe(config, _vault, new HostExporters(), _jobs, [Id], _time);
    }

    [Fact]
    public async Task Metrics_PaperStrategyOpenLong_PositionOrdersFillsAndPnl()
    {
        var report = Probe().Read();
        Assert.True(report.Ready, string.Join("; ", report.Reasons));
        var strategy = Assert.Single(report.Strategies);
        var orders = File.ReadLines(_vault.LedgerOrders(Id))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("orderId").GetString()).Distinct().Count();
        Assert.True(orders >= 1);
        Assert.Equal((orders, 1L), (strategy.Orders, strategy.Fills));
        Assert.Equal(1.020408163265m, strategy.Position);
        Assert.Equal(0m, strategy.Realized);
        Assert.Equal(10.0041m, Math.Round(strategy.Unrealized!.Value, 4));

        var metrics = new PipelineMetrics();
        metrics.Update(report);
        var text = await Text(metrics);
        Assert.Equal(1.020408163265, Value(text, $"pipeline_strategy_position{{strategy=\"{Id}\"}}"), 9);
        Assert.Equal(10.0041, Value(text, $"pipeline_strategy_unrealized_pnl{{strategy=\"{Id}\"}}"), 4);
        Assert.Equal(0, Value(text, $"pipeline_strategy_realized_pnl{{strategy=\"{Id}\"}}"));
        Assert.Equal(orders, Value(text, $"pipeline_strategy_orders_total{{strategy=\"{Id}\"}}"));
        Assert.Equal(1, Value(text, $"pipeline_strategy_fills_total{{strategy=\"{Id}\"}}"));
        Assert.Equal(1, Value(text, "pipeline_ready"));
    }

    [Fact]
    public async Task Health_KillSwitchSet_NotReadyNamingTheHaltAndTheMetricCountsIt()
    {
        // riskHalts was always empty: a halted strategy looked ready to a monitor that trades nothing until cleared.
        RiskStore.KillFile(_vault, Id).Write(new KillSwitch { Strategy = Id, Active = true, Reason = "exchange incident", SetAtMs = 1_767_607_200_000 });
        var report = Probe().Read();
        Assert.False(report.Ready);
        var halt = Assert.Single(report.RiskHalts);
        Assert.Equal($"{Id}: kill_switch since 2026-01-05T10:00:00.000Z (exchange incident)", halt);
        Assert.Equal("risk halt: " + halt, Assert.Single(report.Reasons));
        Assert.Equal([halt[(Id.Length + 2)..]], Assert.Single(report.Strategies).Halts);

        var metrics = new PipelineMetrics();
        metrics.Update(report);
        var text = await Text(metrics);
        Assert.Equal(1, Value(text, $"pipeline_strategy_risk_halts{{strategy=\"{Id}\"}}"));
        Assert.Equal(0, Value(text, "pipeline_ready"));

        RiskStore.KillFile(_vault, Id).Write(new KillSwitch { Strategy = Id, Active = false, SetAtMs = 1_767_607_200_000, ClearedAtMs = 1_767_607_260_000 });
        var cleared = Probe().Read();
        Assert.True(cleared.Ready, string.Join("; ", cleared.Reasons));
        Assert.Empty(cleared.RiskHalts);
    }

    [Fact]
    public async Task Health_JobFailed_Answers503WithTheReason()
    {
        _jobs.Started("calculators");
        _jobs.Finished("calculators", TimeSpan.FromMilliseconds(1500), "failed", "disk full");
        var metrics = new PipelineMetrics();
        using var server = new HealthServer(HealthListener.Bind(new IPEndPoint(IPAddress.Loopback, 0)), Probe(), metrics);
        await server.StartAsync(CancellationToken.None);
        try
        {
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri(server.Url, "health"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("not ready", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("job calculators: last run failed: disk full", Assert.Single(body.RootElement.GetProperty("reasons").EnumerateArray()).GetString());
            Assert.Equal("failed", body.RootElement.GetProperty("jobs").GetProperty("calculators").GetProperty("lastOutcome").GetString());

            using var scrape = await http.GetAsync(new Uri(server.Url, "metrics"));
            Assert.Equal(HealthServer.MetricsContentType, scrape.Content.Headers.ContentType!.ToString());
            var text = await scrape.Content.ReadAsStringAsync();
            Assert.Equal(0, Value(text, "pipeline_ready"));
            Assert.Equal(1, Value(text, "pipeline_job_failures_total{job=\"calculators\"}"));
            Assert.Equal(0, Value(text, "pipeline_job_last_ok{job=\"calculators\"}"));
            Assert.Equal(1.5, Value(text, "pipeline_job_last_duration_seconds{job=\"calculators\"}"));
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_DoNotShareSeries()
    {
        var withStrategy = new PipelineMetrics();
        withStrategy.Update(Probe().Read());
        var other = new PipelineMetrics();
        other.Update(new HealthProbe(PipelineConfigLoader.Load(null, new Dictionary<string, string>(),
            [new ConfigOverride(ConfigKeys.Vault, _dir.Path, "--vault")], _dir.Path), _vault, new HostExporters(), new JobStats(_time), [], _time).Read());
        Assert.Contains("pipeline_strategy_position{strategy=", await Text(withStrategy), StringComparison.Ordinal);
        Assert.DoesNotContain("pipeline_strategy_position{strategy=", await Text(other), StringComparison.Ordinal);
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
