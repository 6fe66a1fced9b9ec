using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Hosting;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// The whole long-running pipeline as users run it: <c>pipeline run</c> (a child process) records from
/// the loopback simulator, computes minutes on a seconds-level schedule and trades on them; it is
/// stopped with SIGTERM and started again, and the derived outputs must continue across the restart
/// with no gap and no repeated minute, and the executor must resume from its saved state.
/// </summary>
public sealed class RunAgainstSimulatorTests : IDisposable
{
    private const string InstId = "BTC-USDT-SWAP";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [UnixFact("POSIX signals")]
    public async Task Run_StoppedWithSigtermAndRestarted_DerivedMinutesContinuousAndExecutorResumed()
    {
        // 4 minutes of market per wall second: the 1 h VWAP bands warm up in ~15 s, and the REST
        // fill of the restart's outage stays short. The market starts at a UTC midnight, so every run sees the
        // same minutes (same trades at the same offsets into each minute, the VWAP session starting with the
        // market and no day rollover within the test). It cannot be a calendar constant: the child process
        // records on the real clock, and a live trade must lie within the exporter's event-time bound of its
        // receive time (raised to 3 days below, so a start up to 48 h back is plausible).
        var start = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [InstId], Rate = 5, Speed = 240, Seed = 11, Start = start,
        });
        var vaultDir = _dir.File("vault");
        var strategy = _dir.File("vwap.yaml");
        await File.WriteAllTextAsync(strategy, $"""
            id: vwap_run_test
            strategy: vwap_mean_reversion
            exchange: okx
            instId: {InstId}
            parameters:
              # Enter at almost any stretch from VWAP and hold far away exits, so a position is
              # open when the first run is stopped and the restart has to restore it.
              bandMultiplier: 0.1
              adxMax: 100
              adxNoTrade: 100
              haltMoveBps: 10000
              takeProfitPct: 20
              stopLossPct: 20
            """);
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimEndpointsYaml.OkxTrades(sim, vaultDir, InstId)}
            schedule:
              calculators: "0/2 * * * * ?"
              heartbeat: "* * * * * ?"
              allowFastSchedule: true
              drainTimeoutSeconds: 30
            exporter:
              maxEventTimeSkewSeconds: 259200
            strategies: [{strategy}]
            """);
        var vault = new VaultLayout(vaultDir);

        // First run: until the executor's saved state holds an open position (the precondition of the restore),
        // after at least 3 scheduled calculator runs.
        var statePath = vault.ExecutorState("vwap_run_test");
        await RunUntilAsync(config, vaultDir, () => OpenPosition(statePath), "a position open in the executor state");
        var firstMinutes = Minutes(vault, "bars_1m");
        var firstState = new StateFile<ExecutorState>(vault.ExecutorState("vwap_run_test")).Read();
        Assert.NotEmpty(firstMinutes);
        Assert.NotNull(firstState);

        await RunUntilAsync(config, vaultDir, () => Minutes(vault, "bars_1m").Count >= firstMinutes.Count + 5, "5 more minutes of bars_1m");
        var secondState = new StateFile<ExecutorState>(vault.ExecutorState("vwap_run_test")).Read();

        foreach (var calc in new[] { "bars_1m", "vwap", "bands", "cvd", "adx" })
        {
            var minutes = Minutes(vault, calc);
            Assert.True(minutes.Count > firstMinutes.Count, $"{calc}: no minutes after the restart");
            for (var i = 1; i < minutes.Count; i++)
            {
                Assert.True(minutes[i] - minutes[i - 1] == 60_000,
                    $"{calc}: minute {Iso(minutes[i - 1])} is followed by {Iso(minutes[i])} (gap or repeat)");
            }
        }

        // The executor resumed: the second run went on from the first run's cursor, with every ledger
        // id written once, and the position open at the stop is restored.
        Assert.NotNull(secondState);
        Assert.True((secondState!.Engine.LastMinuteMs ?? 0) > (firstState!.Engine.LastMinuteMs ?? 0), "the executor did not go on after the restart");
        var orders = LedgerIds(vault.LedgerOrders("vwap_run_test"), "orderId", "event");
        Assert.Equal(orders.Count, orders.Distinct().Count());
        var open = firstState.Engine.Position;
        Assert.True(open is not null, "no position was open at the first stop: the restore is not exercised");
        var positions = File.ReadAllLines(vault.LedgerPositions("vwap_run_test"));
        Assert.Single(positions, l => l.Contains($"\"positionId\":\"{open!.PositionId}\"", StringComparison.Ordinal)
            && l.Contains("\"event\":\"open\"", StringComparison.Ordinal));
        // Exits are 20 % away: the restored position is still the open one, not a new entry.
        Assert.Equal(open!.PositionId, secondState.Engine.Position?.PositionId);
    }

    private static async Task RunUntilAsync(string config, string vault, Func<bool> done, string what, int calculatorRuns = 3)
    {
        using var process = PipelineProcess.Start("run", "--config", config, "--log-level", "warning");
        var statePath = HostStateService.PathFor(vault, HostMode.Run);
        await process.WaitWhileRunningAsync(() => Runs(statePath, "calculators", process.Id) >= calculatorRuns && done(),
            $"{calculatorRuns} calculator runs and {what}", TimeSpan.FromSeconds(120));

        var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
        Assert.True(code == 0, process.Describe());
    }

    private static bool OpenPosition(string statePath)
    {
        try
        {
            return new StateFile<ExecutorState>(statePath).Read()?.Engine.Position is not null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return false;
        }
    }

    private static long Runs(string statePath, string job, int pid)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(statePath));
            var root = state.RootElement;
            return root.GetProperty("pid").GetInt32() == pid && root.GetProperty("jobs").TryGetProperty(job, out var record)
                ? record.GetProperty("runs").GetInt64()
                : 0;
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    private static List<long> Minutes(VaultLayout vault, string calc)
    {
        var minutes = new List<long>();
        var dir = vault.DerivedInstrumentDir(calc, "okx", InstId);
        foreach (var day in VaultLayout.ListDays(dir))
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"))))
            {
                using var doc = JsonDocument.Parse(line);
                minutes.Add(DateTimeOffset.Parse(doc.RootElement.GetProperty("minute").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            }
        }

        return minutes;
    }

    private static List<string> LedgerIds(string path, string idKey, string eventKey) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty(idKey).GetString() + "/" + doc.RootElement.GetProperty(eventKey).GetString();
            }).ToList()
            : [];

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u", CultureInfo.InvariantCulture);
}
