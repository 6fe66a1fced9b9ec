namespace Pipeline.Vault.Trades;

/// <summary>
/// Contract size to base-currency quantity (PROTOCOLS.md 1.8). Branches on ctValCcy, not only on
/// ctType: a ctVal in the base coin is linear (sz×ctVal×ctMult); a ctVal in USD or the quote
/// currency is inverse (sz×ctVal×ctMult/px).
/// </summary>
public static class ContractMath
{
    /// <summary>
    /// The base quantity as canonical exact text. <paramref name="baseCcy"/> is the instrument's base
    /// coin (BTC for BTC-USDT-SWAP); when null, <paramref name="ctType"/> decides.
    /// </summary>
    public static string QtyBase(string sz, string px, string ctVal, string ctMult, string ctType, string ctValCcy, string? baseCcy = null)
    {
        var size = ExactDecimal.Parse(sz) * ExactDecimal.Parse(ctVal) * ExactDecimal.Parse(ctMult);
        return ExactDecimal.Format(IsInverse(ctType, ctValCcy, baseCcy) ? size / ExactDecimal.Parse(px) : size);
    }

    public static bool IsInverse(string ctType, string ctValCcy, string? baseCcy)
    {
        if (baseCcy is not null)
        {
            return !string.Equals(ctValCcy, baseCcy, StringComparison.OrdinalIgnoreCase);
        }

        if (ctValCcy is "USD" or "USDT" or "USDC")
        {
            return true;
        }

        return string.Equals(ctType, "inverse", StringComparison.Ordinal);
    }
}
