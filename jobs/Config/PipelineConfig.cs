namespace Pipeline.Jobs.Config;

/// <summary>
/// The whole configuration of <c>pipeline run</c> / <c>pipeline schedule</c>, after defaults, the
/// YAML file, PIPELINE_* environment variables and flags have been merged and validated.
/// </summary>
public sealed record PipelineConfig
{
    /// <summary>Vault directory (absolute).</summary>
    public required string Vault { get; init; }

    /// <summary>Every known exchange, enabled or not, in a fixed order (okx, binance).</summary>
    public required IReadOnlyList<ExchangeConfig> Exchanges { get; init; }

    public required EndpointsConfig Endpoints { get; init; }

    public required ScheduleConfig Schedule { get; init; }

    public required CalculationConfig Calculators { get; init; }

    /// <summary>Strategy YAML files (absolute paths) the signal/executor job runs.</summary>
    public required IReadOnlyList<string> Strategies { get; init; }

    /// <summary>How far a trade's event time may lie from its receive time before the exporter quarantines it.</summary>
    public TimeSpan MaxEventTimeSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The /health and /metrics endpoints of <c>pipeline run</c>. The loader's default listens on
    /// 127.0.0.1:9464; a config built in code (tests) has them off unless it says otherwise.
    /// </summary>
    public HealthConfig Health { get; init; } = HealthConfig.Off;

    /// <summary>Where live strategies trade (<c>trading:</c>); production endpoints by default.</summary>
    public TradingConfig Trading { get; init; } = TradingConfig.Default;

    /// <summary>The configuration file that was read, or null when only built-in defaults applied.</summary>
    public string? SourceFile { get; init; }

    public IEnumerable<ExchangeConfig> EnabledExchanges => Exchanges.Where(e => e.Enabled && e.Instruments.Count > 0);
}
