using Pipeline.Jobs.Tests.Hosting;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Pipeline.Jobs.Hosting;
using Pipeline.Simulator;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>
/// <c>pipeline run</c> (a child process) recording from the loopback simulator serves /health and /metrics with live
/// values: scraped over HTTP as a user's curl or Prometheus would, while it runs.
/// </summary>
public sealed class HealthEndpointsTests : IDisposable
{
    private const string InstId = "BTC-USDT-SWAP";
    private readonly TempDir _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [UnixFact("POSIX signals")]
    public async Task Run_AgainstSimulator_HealthReadyAndMetricsLive()
    {
        // Event time runs with the wall clock from now, so the watermark trails the clock by about a second: ready.
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = [InstId], Rate = 20, Seed = 5 });
        var vaultDir = _dir.File("vault");
        var strategy = _dir.File("vwap.yaml");
        await File.WriteAllTextAsync(strategy, $"""
            id: vwap_health_test
            strategy: vwap_mean_reversion
            exchange: okx
            instId: {InstId}
            parameters: {"{"} {"}"}
            """);
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimEndpointsYaml.OkxTrades(sim, vaultDir, InstId)}
            schedule:
              calculators: "0/2 * * * * ?"
              heartbeat: "* * * * * ?"
              allowFastSchedule: true
              drainTimeoutSeconds: 30
            strategies: [{strategy}]
            """);

        // PipelineProcess sets health.address 127.0.0.1:0: the host picks a free port and names it in its state file.
        using var process = PipelineProcess.Start("run", "--config", config, "--log-level", "warning");
        var statePath = HostStateService.PathFor(vaultDir, HostMode.Run);
        Uri? url = null;
        await process.WaitWhileRunningAsync(() => (url = HealthUrl(statePath, process.Id)) is not null, "the health URL in the host state file");
        Assert.Equal("127.0.0.1", url!.Host);

        // /health: 200 once the exporter is connected and the trade watermark is fresh.
        (HttpStatusCode Code, string Body)? health = null;
        await process.WaitWhileRunningAsync(() => (health = Get(new Uri(url, "health"))) is { Code: HttpStatusCode.OK },
            "/health to answer 200 (ready)");
        using (var doc = JsonDocument.Parse(health!.Value.Body))
        {
            var root = doc.RootElement;
            Assert.Equal("ready", root.GetProperty("status").GetString());
            Assert.True(root.GetProperty("live").GetBoolean());
            Assert.Empty(root.GetProperty("reasons").EnumerateArray());
            Assert.Empty(root.GetProperty("riskHalts").EnumerateArray());
            var okx = Assert.Single(root.GetProperty("exporters").EnumerateArray());
            Assert.Equal("okx", okx.GetProperty("exchange").GetString());
            Assert.Equal("connected", okx.GetProperty("state").GetString());
            var trades = Assert.Single(okx.GetProperty("streams").EnumerateArray());
            Assert.Equal(InstId, trades.GetProperty("inst").GetString());
            Assert.Equal("trades", trades.GetProperty("kind").GetString());
            Assert.True(trades.GetProperty("records").GetInt64() > 0);
            Assert.True(trades.GetProperty("lagSeconds").GetDouble() <= 120);
            Assert.Equal("vwap_health_test", Assert.Single(root.GetProperty("strategies").EnumerateArray()).GetProperty("strategy").GetString());
        }

        // /metrics: the trade counter rises between two scrapes; the job and strategy series are there.
        var first = Metric(Get(new Uri(url, "metrics")), $"pipeline_trades_written_total{{exchange=\"okx\",inst=\"{InstId}\"}}");
        Assert.True(first > 0, "no trades counted");
        (HttpStatusCode Code, string Body)? metrics = null;
        await process.WaitWhileRunningAsync(
            () => (metrics = Get(new Uri(url, "metrics"))) is { } m && Metric(m, $"pipeline_trades_written_total{{exchange=\"okx\",inst=\"{InstId}\"}}") > first
                && Metric(m, "pipeline_job_runs_total{job=\"calculators\"}") >= 1,
            "the trade counter to rise and a calculators run");
        var text = metrics!.Value.Body;
        Assert.Contains("# TYPE pipeline_trades_written_total counter", text, StringComparison.Ordinal);
        Assert.Equal(1, Metric(metrics, "pipeline_ready"));
        Assert.Equal(1, Metric(metrics, "pipeline_exporter_connected{exchange=\"okx\"}"));
        Assert.Equal(0, Metric(metrics, "pipeline_reconnects_total{exchange=\"okx\"}"));
        Assert.True(Metric(metrics, $"pipeline_watermark_lag_seconds{{exchange=\"okx\",inst=\"{InstId}\",kind=\"trades\"}}") is >= 0 and <= 120);
        Assert.Equal(0, Metric(metrics, "pipeline_strategy_position{strategy=\"vwap_health_test\"}"));
        Assert.Equal(404, (int)Get(new Uri(url, "nothing"))!.Value.Code);

        var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
        Assert.True(code == 0, process.Describe());
    }

    [UnixFact("POSIX signals")]
    public async Task Run_MarketAnHourBehind_HealthNotReadyNamingTheLag()
    {
        // The simulated market runs an hour behind the clock: connected, recording, but the watermark trails by ~3600 s.
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [InstId], Rate = 20, Seed = 5, Start = TimeProvider.System.GetUtcNow().AddHours(-1),
        });
        var vaultDir = _dir.File("vault");
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimEndpointsYaml.OkxTrades(sim, vaultDir, InstId)}
            health:
              maxLagSeconds: 600
            """);
        using var process = PipelineProcess.Start("run", "--config", config, "--log-level", "warning");
        var statePath = HostStateService.PathFor(vaultDir, HostMode.Run);
        Uri? url = null;
        await process.WaitWhileRunningAsync(() => (url = HealthUrl(statePath, process.Id)) is not null, "the health URL in the host state file");

        // Connected and trades written, yet 503: the only reason is the lag.
        (HttpStatusCode Code, string Body)? health = null;
        await process.WaitWhileRunningAsync(() => (health = Get(new Uri(url!, "health"))) is { Code: HttpStatusCode.ServiceUnavailable } h
                && h.Body.Contains("\"state\": \"connected\"", StringComparison.Ordinal) && !h.Body.Contains("no trade recorded yet", StringComparison.Ordinal),
            "/health to answer 503 with the exporter connected and trades recorded");
        using (var doc = JsonDocument.Parse(health!.Value.Body))
        {
            var reason = Assert.Single(doc.RootElement.GetProperty("reasons").EnumerateArray()).GetString()!;
            Assert.Matches($"^okx {InstId}: trade watermark 3[56][0-9][0-9] s behind the clock \\(health.maxLagSeconds 600\\)$", reason);
            Assert.Equal("not ready", doc.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(0, Metric(Get(new Uri(url!, "metrics")), "pipeline_ready"));
        var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
        Assert.True(code == 0, process.Describe());
    }

    private static Uri? HealthUrl(string statePath, int pid)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(statePath));
            var root = state.RootElement;
            return root.GetProperty("pid").GetInt32() == pid && root.TryGetProperty("health", out var health) && health.GetString() is { } text
                ? new Uri(text)
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private (HttpStatusCode Code, string Body)? Get(Uri url)
    {
        try
        {
            using var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
            using var reader = new StreamReader(response.Content.ReadAsStream());
            return (response.StatusCode, reader.ReadToEnd());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The value of one series (name with its labels, as exposed) in a scrape; NaN when absent.</summary>
    private static double Metric((HttpStatusCode Code, string Body)? scrape, string series)
    {
        if (scrape is not { Code: HttpStatusCode.OK } ok)
        {
            return double.NaN;
        }

        foreach (var line in ok.Body.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }
}
