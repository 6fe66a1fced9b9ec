using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Exporter;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Export;
using Pipeline.Jobs.Hosting;
using Pipeline.Jobs.Status;
using Pipeline.Jobs.Trading;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Health;

/// <summary>
/// Reads the host's live state into a <see cref="HealthReport"/> at request time: the exporters' own counters
/// (nothing is counted on their hot paths for this), the job stats, the calculators' and executors' state files.
/// </summary>
/// <param name="live">The run's live strategies, or null when it trades on paper only.</param>
public sealed class HealthProbe(PipelineConfig config, VaultLayout vault, HostExporters exporters, JobStats jobs,
    IReadOnlyList<string> strategies, TimeProvider time, LiveTrading? live = null)
{
    /// <summary>A running live executor that has not stepped for this long (and more than 10 polls) is reported stalled.</summary>
    public static readonly TimeSpan LiveStallBound = TimeSpan.FromSeconds(30);

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public HealthReport Read()
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var reasons = new List<string>();
        var exporterHealth = exporters.All.Select(e => Exporter(e.Exchange, e.Service as ExporterHostedService, nowMs, reasons)).ToList();
        var jobRecords = jobs.Snapshot();
        foreach (var (job, record) in jobRecords)
        {
            if (record.LastOutcome == "failed")
            {
                reasons.Add($"job {job}: last run failed: {record.LastError}");
            }
        }

        var strategyHealth = strategies.Select(Strategy).ToList();
        var liveHealth = (live?.Runs ?? []).Select(r => Live(r, now, reasons)).ToList();
        var riskHalts = strategyHealth.SelectMany(s => s.Halts.Select(h => $"{s.Strategy}: {h}"))
            .Concat(liveHealth.SelectMany(s => s.Halts.Select(h => $"{s.Strategy}: {h}"))).ToList();
        // A halted strategy trades nothing until the halt ends or is cleared: the operator should look, so not ready.
        reasons.AddRange(riskHalts.Select(h => "risk halt: " + h));
        return new HealthReport
        {
            Status = reasons.Count == 0 ? "ready" : "not ready",
            Reasons = reasons,
            Time = now,
            StartedAt = _startedAt,
            Exporters = exporterHealth,
            Calculators = Calculators(nowMs),
            Jobs = jobRecords,
            Strategies = strategyHealth,
            LiveStrategies = liveHealth,
            RiskHalts = riskHalts,
        };
    }

    private ExporterHealth Exporter(string exchange, ExporterHostedService? hosted, long nowMs, List<string> reasons)
    {
        if (hosted is null)
        {
            // Another kind of exporter (a test double): nothing to read, nothing to judge.
            return new ExporterHealth(exchange, "unknown", 0, 0, [], [], null);
        }

        var service = hosted.Service;
        var execute = hosted.ExecuteTask;
        var microFeeds = service.MicroFeeds.Select(f => new MicroFeedHealth(f.Connected, f.Reconnects)).ToList();
        var streams = new List<StreamHealth>();
        foreach (var recorder in service.Recorders)
        {
            var watermark = recorder.WatermarkTs > 0 ? recorder.WatermarkTs : (long?)null;
            var lag = Lag(watermark, nowMs);
            streams.Add(new StreamHealth(recorder.InstId, "trades", recorder.Trades, watermark, lag, recorder.Duplicates,
                recorder.GapFilled, recorder.KnownGaps.Count, 0, 0));
            if (lag is null)
            {
                reasons.Add($"{exchange} {recorder.InstId}: no trade recorded yet");
            }
            else if (lag > config.Health.MaxLag.TotalSeconds)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{exchange} {recorder.InstId}: trade watermark {lag:F0} s behind the clock (health.maxLagSeconds {config.Health.MaxLag.TotalSeconds:F0})"));
            }
        }

        if (service.Micro is { } micro)
        {
            foreach (var stream in micro.Streams)
            {
                var watermark = stream.WatermarkTs > 0 ? stream.WatermarkTs : (long?)null;
                streams.Add(new StreamHealth(stream.InstId, MicroKinds.Name(stream.Kind), stream.Lines, watermark, Lag(watermark, nowMs),
                    stream.Duplicates, 0, 0, stream.Resyncs, stream.Quarantined));
            }
        }

        string state;
        string? error = null;
        if (execute is { IsFaulted: true })
        {
            state = "failed";
            error = Logging.PipelineLogging.Describe(execute.Exception!);
        }
        else if (execute is { IsCompleted: true })
        {
            state = "stopped";
        }
        else if (!service.Started.IsCompletedSuccessfully)
        {
            state = "starting";
        }
        else if (service.Options.Data.Trades)
        {
            state = service.Connected ? "connected" : service.Opening ? "connecting" : "disconnected";
        }
        else
        {
            state = microFeeds.Count > 0 && microFeeds.All(f => f.Connected) ? "connected" : "disconnected";
        }

        if (state != "connected")
        {
            reasons.Add(error is null ? $"{exchange}: exporter {state}" : $"{exchange}: exporter failed: {error}");
        }
        else if (service.Options.Data.Trades && microFeeds.Any(f => !f.Connected))
        {
            reasons.Add($"{exchange}: a microstructure connection is down");
        }

        return new ExporterHealth(exchange, state, service.Reconnects + microFeeds.Sum(f => f.Reconnects), service.Quarantined,
            microFeeds, streams, error);
    }

    private List<CalculatorHealth> Calculators(long nowMs)
    {
        var result = new List<CalculatorHealth>();
        foreach (var exchange in config.EnabledExchanges)
        {
            foreach (var inst in exchange.Instruments)
            {
                long? next = null;
                try
                {
                    next = new StateFile<BarsState>(vault.CalcState(BarLine.Calc, exchange.Name, inst)).Read()?.NextMinute;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or StateFileCorruptException or JsonException)
                {
                    // Mid-write or unreadable: the calculators job reports its own failures; lag is unknown this time.
                }

                result.Add(new CalculatorHealth(exchange.Name, inst, next, Lag(next, nowMs)));
            }
        }

        return result;
    }

    private StrategyHealth Strategy(string id)
    {
        var status = StrategyStatus.Read(vault, id);
        var position = status.Qty is { } qty ? (status.Side == "short" ? -qty : qty) : 0m;
        return new StrategyHealth(id, status.Exchange, status.InstId, status.OrderSeq, status.FillSeq,
            position, status.Realized, status.UnrealizedNet, status.PnlCcy, status.Error)
        {
            Halts = status.Halts,
        };
    }

    /// <summary>
    /// One live strategy; not ready while its executor is not running (starting, restarting after a failure, stopped, a
    /// refused key) or has stalled. Its halts join <see cref="HealthReport.RiskHalts"/> (each also makes it not ready).
    /// </summary>
    private LiveStrategyHealth Live(LiveStrategyRun run, DateTimeOffset now, List<string> reasons)
    {
        var status = run.Status;
        var state = run.State;
        var age = status?.LastStepAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : (double?)null;
        var stallBound = Math.Max(LiveStallBound.TotalSeconds, 10 * config.Trading.Poll.TotalSeconds);
        var stalled = state == LiveRunStates.Running && age > stallBound;
        var stepping = state == LiveRunStates.Running && age is not null && !stalled;
        var what = $"live {run.StrategyId} on {run.Venue}";
        if (stalled)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: no executor step for {age:F0} s"));
        }
        else if (state == LiveRunStates.Running && age is null)
        {
            reasons.Add($"{what}: executor starting (connecting and reconciling with the venue)");
        }
        else if (state != LiveRunStates.Running)
        {
            reasons.Add(run.Error is { } error ? $"{what}: executor {state}: {error}" : $"{what}: executor {state}");
        }

        var halts = status?.Halts ?? [];
        return new LiveStrategyHealth(run.StrategyId, run.Venue, run.Live.Strategy.InstId, Pipeline.Exporter.Trading.SecretRedactor.Redact(
                Pipeline.Exporter.Rest.EndpointRedaction.Redact(run.Live.Target.Endpoint)), run.Live.Target.Testnet, state, stepping, age,
            status?.LastMinuteMs, status?.OrdersSent ?? 0, status?.OrdersRejected ?? 0, status?.Fills ?? 0, status?.Position ?? 0m,
            status?.RealizedPnl ?? 0m, status?.UnrealizedPnl ?? 0m, status?.FeesPaid ?? 0m, halts, status?.LastError ?? run.Error);
    }

    private static double? Lag(long? ms, long nowMs) => ms is { } v ? Math.Max(0, nowMs - v) / 1000.0 : null;
}
