using Pipeline.Exporter.Trading;

namespace Pipeline.Jobs.Trading;

/// <summary>
/// What <see cref="LiveModeGate"/> allowed: paper (no credentials, no banner), or live with the credentials to sign
/// with and the banner to print before the first order. <see cref="Note"/> explains a confirmation that was ignored.
/// </summary>
public sealed record LiveModeDecision(TradingMode Mode, ApiCredentials? Credentials, string? Banner, string? Note)
{
    public bool IsLive => Mode == TradingMode.Live;
}
