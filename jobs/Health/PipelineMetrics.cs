using Prometheus;

namespace Pipeline.Jobs.Health;

/// <summary>
/// The Prometheus metrics of <c>/metrics</c>, in a registry this host owns (not prometheus-net's static default
/// one: two hosts in one test process never share a series). Each scrape sets them from a fresh
/// <see cref="HealthReport"/>, so counting costs the exporters nothing. Every metric is documented in
/// jobs/README.md (Health and metrics).
/// </summary>
public sealed class PipelineMetrics
{
    private readonly Lock _gate = new();
    private readonly Gauge _ready;
    private readonly Gauge _connected;
    private readonly Counter _reconnects;
    private readonly Counter _quarantined;
    private readonly Counter _trades;
    private readonly Counter _gapFilled;
    private readonly Gauge _openGaps;
    private readonly Counter _microRecords;
    private readonly Counter _microResyncs;
    private readonly Counter _duplicates;
    private readonly Gauge _watermarkLag;
    private readonly Gauge _calculatorLag;
    private readonly Counter _jobRuns;
    private readonly Counter _jobFailures;
    private readonly Gauge _jobDuration;
    private readonly Gauge _jobOk;
    private readonly Counter _orders;
    private readonly Counter _fills;
    private readonly Gauge _position;
    private readonly Gauge _realized;
    private readonly Gauge _unrealized;
    private readonly Gauge _halts;
    private readonly Gauge _liveUp;
    private readonly Counter _liveSent;
    private readonly Counter _liveRejected;
    private readonly Counter _liveFills;
    private readonly Gauge _livePosition;
    private readonly Gauge _liveRealized;
    private readonly Gauge _liveUnrealized;
    private readonly Gauge _liveFees;
    private readonly Gauge _liveStepAge;
    private readonly Gauge _liveHalts;

    public PipelineMetrics()
    {
        var f = Metrics.WithCustomRegistry(Registry);
        _ready = f.CreateGauge("pipeline_ready", "1 when /health says ready, else 0.");
        _connected = f.CreateGauge("pipeline_exporter_connected", "1 when the exchange's exporter is connected and subscribed, else 0.", "exchange");
        _reconnects = f.CreateCounter("pipeline_reconnects_total", "WebSocket reconnects of the exporter (trades and microstructure connections) since the host started.", "exchange");
        _quarantined = f.CreateCounter("pipeline_quarantined_total", "Frames and lines the exporter quarantined since the host started.", "exchange");
        _trades = f.CreateCounter("pipeline_trades_written_total", "Trades written to the vault (the exporter's count, kept across restarts).", "exchange", "inst");
        _gapFilled = f.CreateCounter("pipeline_gap_filled_trades_total", "Trades fetched over REST into gaps of the live stream.", "exchange", "inst");
        _openGaps = f.CreateGauge("pipeline_open_gaps", "Known trade-id gaps not filled yet.", "exchange", "inst");
        _microRecords = f.CreateCounter("pipeline_micro_records_written_total", "Microstructure records written to the vault, per kind.", "exchange", "inst", "kind");
        _microResyncs = f.CreateCounter("pipeline_micro_resyncs_total", "Sequence breaks that forced a resync of a microstructure stream.", "exchange", "inst", "kind");
        _duplicates = f.CreateCounter("pipeline_duplicates_dropped_total", "Duplicate records dropped, per stream.", "exchange", "inst", "kind");
        _watermarkLag = f.CreateGauge("pipeline_watermark_lag_seconds", "How far the stream's watermark (complete up to) trails the clock.", "exchange", "inst", "kind");
        _calculatorLag = f.CreateGauge("pipeline_calculator_lag_seconds", "How far the calculators' next minute (bars_1m) trails the clock.", "exchange", "inst");
        _jobRuns = f.CreateCounter("pipeline_job_runs_total", "Runs of the Quartz job since the host started.", "job");
        _jobFailures = f.CreateCounter("pipeline_job_failures_total", "Failed runs of the Quartz job since the host started.", "job");
        _jobDuration = f.CreateGauge("pipeline_job_last_duration_seconds", "Duration of the job's last run.", "job");
        _jobOk = f.CreateGauge("pipeline_job_last_ok", "1 when the job's last run succeeded, 0 when it failed or was cancelled.", "job");
        _orders = f.CreateCounter("pipeline_strategy_orders_total", "Orders the strategy's paper executor placed (its ledger's order count).", "strategy");
        _fills = f.CreateCounter("pipeline_strategy_fills_total", "Fills the strategy's paper executor booked.", "strategy");
        _position = f.CreateGauge("pipeline_strategy_position", "Open position size in base units: positive long, negative short, 0 flat.", "strategy");
        _realized = f.CreateGauge("pipeline_strategy_realized_pnl", "Net realised PnL of the closed round trips, in the contract's PnL currency.", "strategy");
        _unrealized = f.CreateGauge("pipeline_strategy_unrealized_pnl", "Net unrealised PnL of the open position at the last minute's close (0 when flat).", "strategy");
        _halts = f.CreateGauge("pipeline_strategy_risk_halts", "Active risk halts of the strategy (kill switch, daily loss, volatility): 0 when it may trade.", "strategy");
        _liveUp = f.CreateGauge("pipeline_live_connected", "1 while the live strategy's executor is running and stepping (venue answering, stream read), else 0.", "strategy", "venue");
        _liveSent = f.CreateCounter("pipeline_live_orders_sent_total", "Orders the live executor sent to the venue.", "strategy", "venue");
        _liveRejected = f.CreateCounter("pipeline_live_orders_rejected_total", "Orders the venue rejected (post-only would cross, filters, reduce-only, limits).", "strategy", "venue");
        _liveFills = f.CreateCounter("pipeline_live_fills_total", "Fills the live executor booked from the venue.", "strategy", "venue");
        _livePosition = f.CreateGauge("pipeline_live_position", "The live position in base units: positive long, negative short, 0 flat.", "strategy", "venue");
        _liveRealized = f.CreateGauge("pipeline_live_realized_pnl", "Realised PnL of the live strategy (quote currency), as its executor books it.", "strategy", "venue");
        _liveUnrealized = f.CreateGauge("pipeline_live_unrealized_pnl", "Unrealised PnL of the open live position (quote currency; 0 when flat).", "strategy", "venue");
        _liveFees = f.CreateGauge("pipeline_live_fees_paid", "Fees the venue charged the live strategy (quote currency).", "strategy", "venue");
        _liveStepAge = f.CreateGauge("pipeline_live_last_step_age_seconds", "Wall time since the live executor's last step.", "strategy", "venue");
        _liveHalts = f.CreateGauge("pipeline_live_risk_halts", "Active risk halts of the live strategy (kill switch, daily loss, volatility, position mismatch): 0 when it may trade.", "strategy", "venue");
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Sets every metric from <paramref name="report"/>.</summary>
    public void Update(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            _ready.Set(report.Ready ? 1 : 0);
            foreach (var exporter in report.Exporters)
            {
                _connected.WithLabels(exporter.Exchange).Set(exporter.State == "connected" ? 1 : 0);
                _reconnects.WithLabels(exporter.Exchange).IncTo(exporter.Reconnects);
                _quarantined.WithLabels(exporter.Exchange).IncTo(exporter.Quarantined);
                foreach (var stream in exporter.Streams)
                {
                    if (stream.Kind == "trades")
                    {
                        _trades.WithLabels(exporter.Exchange, stream.Inst).IncTo(stream.Records);
                        _gapFilled.WithLabels(exporter.Exchange, stream.Inst).IncTo(stream.GapFilled);
                        _openGaps.WithLabels(exporter.Exchange, stream.Inst).Set(stream.OpenGaps);
                    }
                    else
                    {
                        _microRecords.WithLabels(exporter.Exchange, stream.Inst, stream.Kind).IncTo(stream.Records);
                        _microResyncs.WithLabels(exporter.Exchange, stream.Inst, stream.Kind).IncTo(stream.Resyncs);
                    }

                    _duplicates.WithLabels(exporter.Exchange, stream.Inst, stream.Kind).IncTo(stream.Duplicates);
                    if (stream.LagSeconds is { } lag)
                    {
                        _watermarkLag.WithLabels(exporter.Exchange, stream.Inst, stream.Kind).Set(lag);
                    }
                }
            }

            foreach (var calc in report.Calculators)
            {
                if (calc.LagSeconds is { } lag)
                {
                    _calculatorLag.WithLabels(calc.Exchange, calc.Inst).Set(lag);
                }
            }

            foreach (var (job, record) in report.Jobs)
            {
                _jobRuns.WithLabels(job).IncTo(record.Runs);
                _jobFailures.WithLabels(job).IncTo(record.Failures);
                if (record.LastDurationMs is { } ms)
                {
                    _jobDuration.WithLabels(job).Set(ms / 1000.0);
                }

                if (record.LastOutcome is { } outcome)
                {
                    _jobOk.WithLabels(job).Set(outcome == "ok" ? 1 : 0);
                }
            }

            foreach (var strategy in report.Strategies.Where(s => s.Error is null))
            {
                _orders.WithLabels(strategy.Strategy).IncTo(strategy.Orders);
                _fills.WithLabels(strategy.Strategy).IncTo(strategy.Fills);
                _position.WithLabels(strategy.Strategy).Set((double)strategy.Position);
                _realized.WithLabels(strategy.Strategy).Set((double)strategy.Realized);
                _unrealized.WithLabels(strategy.Strategy).Set((double)(strategy.Unrealized ?? 0m));
                _halts.WithLabels(strategy.Strategy).Set(strategy.Halts.Count);
            }

            foreach (var live in report.LiveStrategies)
            {
                string[] labels = [live.Strategy, live.Venue];
                _liveUp.WithLabels(labels).Set(live.Connected ? 1 : 0);
                _liveSent.WithLabels(labels).IncTo(live.OrdersSent);
                _liveRejected.WithLabels(labels).IncTo(live.OrdersRejected);
                _liveFills.WithLabels(labels).IncTo(live.Fills);
                _livePosition.WithLabels(labels).Set((double)live.Position);
                _liveRealized.WithLabels(labels).Set((double)live.RealizedPnl);
                _liveUnrealized.WithLabels(labels).Set((double)live.UnrealizedPnl);
                _liveFees.WithLabels(labels).Set((double)live.FeesPaid);
                if (live.LastStepAgeSeconds is { } age)
                {
                    _liveStepAge.WithLabels(labels).Set(age);
                }

                _liveHalts.WithLabels(labels).Set(live.Halts.Count);
            }
        }
    }

    /// <summary>Writes the registry in the Prometheus text format (version 0.0.4).</summary>
    public Task WriteAsync(Stream output, CancellationToken token) => Registry.CollectAndExportAsTextAsync(output, token);
}
