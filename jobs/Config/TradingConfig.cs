using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Okx.Trading;

namespace Pipeline.Jobs.Config;

/// <summary>
/// The <c>trading:</c> section of pipeline.yaml: where live strategies send orders (each venue's private endpoints,
/// testnet/demo), the owner-only credentials file, and how often a live executor steps. Production by default;
/// <c>binance.testnet: true</c> / <c>okx.demo: true</c> without explicit endpoints select the testnet/demo endpoints.
/// Paper strategies never read it.
/// </summary>
/// <param name="Binance">Binance USD-M order venue endpoints.</param>
/// <param name="Okx">OKX order venue endpoints, demo flag and trade mode.</param>
/// <param name="CredentialsFile">An owner-only <c>NAME=value</c> file with the API keys (absolute), or null: the environment
/// (then <c>PIPELINE_CREDENTIALS_FILE</c>) decides; see exporter/Trading/CredentialLoader.</param>
/// <param name="Poll">Wall time between two steps of a live executor.</param>
public sealed record TradingConfig(BinanceVenueOptions Binance, OkxVenueOptions Okx, string? CredentialsFile, TimeSpan Poll)
{
    public const int DefaultPollMs = 500;

    public static TradingConfig Default { get; } = new(new BinanceVenueOptions(), new OkxVenueOptions(), null,
        TimeSpan.FromMilliseconds(DefaultPollMs));
}
