using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Market;

namespace Pipeline.Simulator;

/// <summary>Everything <see cref="SimulatorHost"/> needs; the defaults are the CLI's defaults.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Address to listen on (an IP, or localhost).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public IReadOnlyList<string> Instruments { get; init; } = SimInstruments.Default;

    /// <summary>Average fills per second of event time per instrument.</summary>
    public double Rate { get; init; } = 200;

    public ulong Seed { get; init; } = 1;

    /// <summary>Event-time origin; null = now (from <see cref="Time"/>).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Event time runs this many times faster than wall time (unused when <see cref="Stepped"/>).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>
    /// Event time stands at <see cref="Start"/> until <see cref="SimulatorHost.AdvanceTo"/> moves it, and each move
    /// publishes at once (no wall-time pacing, <see cref="Speed"/> and <see cref="PublishInterval"/> unused): a caller
    /// that waits for its consumers between moves gets the same tape and receive times on every run.
    /// </summary>
    public bool Stepped { get; init; }

    public FaultSpec Faults { get; init; } = FaultSpec.None;

    /// <summary>Quiet stretches: the instrument has no trade at all in these event-time spans (whole 10-s blocks).</summary>
    public IReadOnlyList<SimSilence> Silences { get; init; } = [];

    /// <summary>Directory for the ground truth (null = none).</summary>
    public string? TruthDir { get; init; }

    /// <summary>OKX drops a WebSocket with no traffic for this long (close 4004).</summary>
    public TimeSpan OkxIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Binance sends a WebSocket ping frame this often.</summary>
    public TimeSpan BinancePingInterval { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Binance closes a connection whose pong is this late.</summary>
    public TimeSpan BinancePongTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>OKX history-trades limit: requests per <see cref="OkxHistoryRateWindow"/>.</summary>
    public int OkxHistoryRateLimit { get; init; } = 20;

    public TimeSpan OkxHistoryRateWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back (event time) Binance /fapi/v1/aggTrades answers; older gets -4166. Null = no limit.</summary>
    public TimeSpan? BinanceAggTradesWindow { get; init; } = TimeSpan.FromDays(2);

    /// <summary>OKX instIds whose daily archives use the legacy bilingual header ("*" = all).</summary>
    public IReadOnlyCollection<string> OkxLegacyArchive { get; init; } = [];

    /// <summary>
    /// Fault hook: the archive zips of these dates (OKX file date, Binance UTC day) are served with one byte
    /// flipped; a Binance .CHECKSUM stays that of the good file, so a client sees a checksum mismatch.
    /// </summary>
    public IReadOnlyCollection<DateOnly> CorruptArchiveDays { get; init; } = [];

    /// <summary>
    /// Simulate the microstructure too: order book, quotes, liquidations, mark/index/funding and open interest, served on
    /// both venues' channels (<see cref="Micro.MicroFeed"/>) and written to the truth. Off by default for embedding (tests of trades, the demo, benches: cheaper per clock step); `pipeline sim` turns it on unless --no-micro.
    /// </summary>
    public bool Micro { get; init; }

    /// <summary>OKX <c>books</c> messages carry the CRC32 checksum of the top 25 levels; false sends 0, as OKX does from 23 June 2026.</summary>
    public bool OkxBookChecksum { get; init; } = true;

    /// <summary>How often the live feed publishes (wall time).</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Trading accounts of the private APIs (Binance USD-M signed REST and user data stream, OKX signed REST and private
    /// WebSocket); empty = no private API.
    /// Needs <see cref="Micro"/> (orders are checked and matched against the simulated book).
    /// </summary>
    public IReadOnlyList<Trading.SimAccountSpec> Accounts { get; init; } = [];
}
