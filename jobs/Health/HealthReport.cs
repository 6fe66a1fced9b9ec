using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Health;

/// <summary>
/// What <c>GET /health</c> answers (and what <c>/metrics</c> is made from): liveness, readiness with its
/// reasons, each exporter's connections and watermarks, each job's last outcome, each strategy's paper
/// position and PnL. Read from the live objects at request time.
/// </summary>
public sealed record HealthReport
{
    /// <summary>"ready" (HTTP 200) or "not ready" (HTTP 503, <see cref="Reasons"/> says why).</summary>
    public required string Status { get; init; }

    /// <summary>Always true in an answer: the process is up and serving.</summary>
    public bool Live { get; init; } = true;

    public bool Ready => Reasons.Count == 0;

    public required IReadOnlyList<string> Reasons { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required IReadOnlyList<ExporterHealth> Exporters { get; init; }

    /// <summary>The calculators' progress per instrument (bars_1m, which every other calculator follows).</summary>
    public required IReadOnlyList<CalculatorHealth> Calculators { get; init; }

    public required IReadOnlyDictionary<string, JobRecord> Jobs { get; init; }

    public required IReadOnlyList<StrategyHealth> Strategies { get; init; }

    /// <summary>The strategies trading live in this run (<c>mode: live</c>), from their executors.</summary>
    public IReadOnlyList<LiveStrategyHealth> LiveStrategies { get; init; } = [];

    /// <summary>Every configured strategy's active risk halts ("{strategy}: {halt}"); each makes the host not ready.</summary>
    public IReadOnlyList<string> RiskHalts { get; init; } = [];
}

/// <summary>One exchange's exporter.</summary>
/// <param name="State">starting, connected, connecting, disconnected, stopped or failed (of the trades connection,
/// or of the microstructure connections when the exporter records no trades).</param>
public sealed record ExporterHealth(
    string Exchange,
    string State,
    long Reconnects,
    long Quarantined,
    IReadOnlyList<MicroFeedHealth> MicroFeeds,
    IReadOnlyList<StreamHealth> Streams,
    string? Error);

/// <summary>One microstructure connection.</summary>
public sealed record MicroFeedHealth(bool Connected, long Reconnects);

/// <summary>
/// One recorded stream: an instrument's trades, or one of its microstructure kinds.
/// </summary>
/// <param name="Kind">trades, or the micro kind (quotes, book, liquidations, derivatives).</param>
/// <param name="Records">Records in the vault's stream (the exporter's counter, kept across restarts in its state).</param>
/// <param name="Watermark">Exchange time (Unix ms) up to which the stream is complete; null before the first.</param>
/// <param name="LagSeconds">How far the watermark trails the clock; null before the first.</param>
/// <param name="Duplicates">Duplicates dropped.</param>
/// <param name="GapFilled">Trades fetched over REST into gaps (trades only).</param>
/// <param name="OpenGaps">Known gaps not filled (trades only).</param>
/// <param name="Resyncs">Sequence breaks that forced a resync (micro only).</param>
/// <param name="Quarantined">Lines of this stream quarantined (micro; trades' quarantine counts per exporter).</param>
public sealed record StreamHealth(
    string Inst,
    string Kind,
    long Records,
    long? Watermark,
    double? LagSeconds,
    long Duplicates,
    long GapFilled,
    int OpenGaps,
    long Resyncs,
    long Quarantined);

/// <summary>One instrument's calculator cursor: minutes before <see cref="NextMinute"/> are final and written.</summary>
public sealed record CalculatorHealth(string Exchange, string Inst, long? NextMinute, double? LagSeconds);

/// <summary>One configured paper strategy, from its executor state and ledger (as <c>pipeline status</c> shows it).</summary>
/// <param name="Position">Signed size: positive long, negative short, 0 flat.</param>
public sealed record StrategyHealth(
    string Strategy,
    string? Exchange,
    string? Inst,
    long Orders,
    long Fills,
    decimal Position,
    decimal Realized,
    decimal? Unrealized,
    string? PnlCcy,
    string? Error)
{
    /// <summary>The strategy's active risk halts (kill switch, daily loss, volatility), as `status` shows them.</summary>
    public IReadOnlyList<string> Halts { get; init; } = [];
}

/// <summary>One live strategy of the run: its executor service's state and the executor's own status (<c>VenueExecutor.Status</c>).</summary>
/// <param name="State">starting, running, restarting, stopped or "auth failed".</param>
/// <param name="Connected">The executor is running and has stepped recently (its venue answered and its stream is read).</param>
/// <param name="Testnet">The account is a testnet/demo one (trading.binance.testnet, trading.okx.demo).</param>
/// <param name="LastStepAgeSeconds">Wall time since the executor's last step; null before the first.</param>
/// <param name="LastMinute">The last minute the executor decided (Unix ms), or null.</param>
/// <param name="Position">Signed base quantity: positive long, negative short, 0 flat.</param>
public sealed record LiveStrategyHealth(
    string Strategy,
    string Venue,
    string Inst,
    string Endpoint,
    bool Testnet,
    string State,
    bool Connected,
    double? LastStepAgeSeconds,
    long? LastMinute,
    long OrdersSent,
    long OrdersRejected,
    long Fills,
    decimal Position,
    decimal RealizedPnl,
    decimal UnrealizedPnl,
    decimal FeesPaid,
    IReadOnlyList<string> Halts,
    string? LastError);
