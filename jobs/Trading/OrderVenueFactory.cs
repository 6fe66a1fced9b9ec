using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Trading;

/// <summary>
/// Builds the order venue a live strategy trades through: the strategy's exchange picks Binance USD-M or OKX, the
/// <c>trading:</c> section of the configuration gives the endpoints (production, testnet/demo, or a simulator), and the
/// <see cref="LiveModeGate"/>'s decision gives the credentials. Nothing here reads a key from anywhere else.
/// </summary>
public static class OrderVenueFactory
{
    /// <summary>The venue and REST endpoint a live run of <paramref name="strategy"/> would trade (for the gate and its banner).</summary>
    public static LiveTarget Target(StrategyConfig strategy, TradingConfig trading)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(trading);
        return strategy.Exchange switch
        {
            TradingVenues.Binance => new LiveTarget(TradingVenues.Binance, trading.Binance.Rest, trading.Binance.Testnet),
            TradingVenues.Okx => new LiveTarget(TradingVenues.Okx, trading.Okx.Rest, trading.Okx.Demo),
            var other => throw new UsageException($"strategy {strategy.Id}: live trading is not available on '{other}' (binance, okx)"),
        };
    }

    /// <summary>
    /// The venue for a live decision; <paramref name="http"/> is for tests (the venue owns a client of its own otherwise).
    /// Throws <see cref="InvalidOperationException"/> for a paper decision: paper strategies never get a venue from here.
    /// </summary>
    public static IOrderVenue Create(StrategyConfig strategy, TradingConfig trading, LiveModeDecision decision, TimeProvider time,
        HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(trading);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(time);
        if (!decision.IsLive || decision.Credentials is not { } credentials)
        {
            throw new InvalidOperationException($"strategy {strategy.Id} is not cleared for live trading: no order venue");
        }

        if (credentials.Venue != strategy.Exchange)
        {
            throw new InvalidOperationException($"strategy {strategy.Id} trades on {strategy.Exchange}, but the credentials are for {credentials.Venue}");
        }

        return strategy.Exchange switch
        {
            TradingVenues.Binance => new BinanceOrderVenue(trading.Binance, credentials, time, http),
            TradingVenues.Okx => new OkxOrderVenue(trading.Okx, credentials, time, http),
            var other => throw new UsageException($"strategy {strategy.Id}: live trading is not available on '{other}' (binance, okx)"),
        };
    }
}
