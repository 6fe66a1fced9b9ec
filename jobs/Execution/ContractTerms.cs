using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// How one instrument's contract is valued, from the contract facts every raw trade line carries
/// (ctType, ctVal, ctMult, ctValCcy). <b>Linear</b> (BTC-USDT-SWAP, BTCUSDT): size and notional in the
/// quote currency, PnL and fees in the quote currency. <b>Inverse</b> (OKX BTC-USD-SWAP, ctVal 100 USD):
/// notional in ctValCcy (USD, contracts × ctVal × ctMult), PnL and fees in the settlement coin (BTC).
/// </summary>
/// <param name="Inverse">True for an inverse contract (the rule of <see cref="ContractMath.IsInverse"/>).</param>
/// <param name="CtVal">Contract value (100 for BTC-USD-SWAP: 100 USD per contract).</param>
/// <param name="CtMult">Contract multiplier (1 on every swap recorded today).</param>
/// <param name="CtValCcy">Currency of <paramref name="CtVal"/> (BTC for BTC-USDT-SWAP, USD for BTC-USD-SWAP).</param>
/// <param name="NotionalCcy">Currency of the strategy's <c>notional</c>: the quote currency (linear) or ctValCcy (inverse).</param>
/// <param name="PnlCcy">Currency of PnL and fees: the quote currency (linear) or the settlement coin (inverse).</param>
public sealed record ContractTerms(bool Inverse, decimal CtVal, decimal CtMult, string CtValCcy, string NotionalCcy, string PnlCcy)
{
    /// <summary>"inverse" or "linear", as in the raw line's ctType.</summary>
    public string CtType => Inverse ? "inverse" : "linear";

    /// <summary>
    /// The terms of a raw trade line's contract facts. Currencies come from the instrument id: OKX
    /// <c>BASE-QUOTE-SWAP</c>; Binance USD-M <c>BASEQUOTE</c> (the base is the line's ctValCcy); Binance
    /// COIN-M <c>BASEUSD_PERP</c>. An id that fits none of these names the quote "quote".
    /// </summary>
    public static ContractTerms FromRaw(string instId, string ctType, string ctVal, string ctMult, string ctValCcy)
    {
        ArgumentNullException.ThrowIfNull(instId);
        ArgumentNullException.ThrowIfNull(ctValCcy);
        var (baseCcy, quoteCcy) = Currencies(instId, ctValCcy);
        var inverse = ContractMath.IsInverse(ctType, ctValCcy, instId.Contains('-', StringComparison.Ordinal) ? baseCcy : null);
        return new ContractTerms(inverse, ExactDecimal.Parse(ctVal), ExactDecimal.Parse(ctMult), ctValCcy,
            inverse ? ctValCcy : quoteCcy, inverse ? baseCcy : quoteCcy);
    }

    /// <summary>The terms of <paramref name="trade"/>'s contract.</summary>
    public static ContractTerms FromRaw(RawTrade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        return FromRaw(trade.InstId, trade.CtType, trade.CtVal, trade.CtMult, trade.CtValCcy);
    }

    /// <summary>
    /// A linear contract of ctVal 1 (what a strategy assumes when no raw trade tells it more, e.g. a
    /// config built in code); the quote currency from the instrument id as in <see cref="FromRaw(string,string,string,string,string)"/>.
    /// </summary>
    public static ContractTerms Linear(string instId)
    {
        ArgumentNullException.ThrowIfNull(instId);
        var dash = instId.IndexOf('-', StringComparison.Ordinal);
        var baseCcy = dash > 0 ? instId[..dash]
            : KnownQuotes.FirstOrDefault(q => instId.Length > q.Length && instId.EndsWith(q, StringComparison.Ordinal)) is { } quote
                ? instId[..^quote.Length]
                : instId;
        return FromRaw(instId, "linear", "1", "1", baseCcy);
    }

    private static readonly string[] KnownQuotes = ["FDUSD", "USDT", "USDC", "BUSD", "USD"];

    private static (string Base, string Quote) Currencies(string instId, string ctValCcy)
    {
        var parts = instId.Split('-');
        if (parts.Length >= 2 && parts[0].Length > 0 && parts[1].Length > 0)
        {
            return (parts[0], parts[1]); // OKX: BTC-USDT-SWAP, BTC-USD-SWAP
        }

        var symbol = instId.Split('_')[0]; // Binance COIN-M: BTCUSD_PERP
        if (symbol.Length > ctValCcy.Length && symbol.StartsWith(ctValCcy, StringComparison.OrdinalIgnoreCase))
        {
            return (ctValCcy, symbol[ctValCcy.Length..]); // Binance USD-M: BTCUSDT, ctValCcy BTC
        }

        if (symbol.Length > ctValCcy.Length && symbol.EndsWith(ctValCcy, StringComparison.OrdinalIgnoreCase))
        {
            return (symbol[..^ctValCcy.Length], ctValCcy); // COIN-M: BTCUSD, ctValCcy USD
        }

        return (ctValCcy, "quote");
    }
}
