using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Instruments;

/// <summary>
/// The contract facts a raw line needs (DESIGN.md, "Raw trade line"). OKX: ctVal/ctMult/ctType/ctValCcy
/// from /api/v5/public/instruments; Binance USD-M: ctVal 1, ctMult 1, linear, ctValCcy = base asset.
/// </summary>
public sealed record InstrumentSpec
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required string CtVal { get; init; }
    public required string CtMult { get; init; }
    public required string CtType { get; init; }
    public required string CtValCcy { get; init; }

    /// <summary>Base coin (BTC for BTC-USDT-SWAP and BTC-USD-SWAP); decides linear vs inverse with ctValCcy.</summary>
    public string? BaseCcy { get; init; }

    /// <summary>Exchange state (live, TRADING, suspend, ...), informational.</summary>
    public string? State { get; init; }

    public bool IsInverse => ContractMath.IsInverse(CtType, CtValCcy, BaseCcy);

    /// <summary>
    /// Null when the contract fields are usable, else which field is wrong and why
    /// (an instrument with a bad ctVal/ctMult/ctType is not recorded).
    /// </summary>
    public string? Validate()
    {
        if (!ExactDecimal.IsPlain(CtVal) || ExactDecimal.Parse(CtVal) <= 0)
        {
            return $"ctVal '{CtVal}' is missing or not a positive plain decimal";
        }

        if (!ExactDecimal.IsPlain(CtMult) || ExactDecimal.Parse(CtMult) <= 0)
        {
            return $"ctMult '{CtMult}' is missing or not a positive plain decimal";
        }

        if (CtType is not ("linear" or "inverse"))
        {
            return $"ctType '{CtType}' is missing or not linear/inverse";
        }

        if (string.IsNullOrWhiteSpace(CtValCcy))
        {
            return "ctValCcy is missing";
        }

        return null;
    }
}
