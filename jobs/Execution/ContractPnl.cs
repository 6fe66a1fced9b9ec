namespace Pipeline.Jobs.Execution;

/// <summary>
/// The one valuation of a paper position, used by the paper engine (live and backtest), the reports
/// rebuilt from fills and status. <c>notional</c> is always the strategy's notional in
/// <see cref="ContractTerms.NotionalCcy"/> (1000 USDT linear; 1000 USD = 10 BTC-USD-SWAP contracts of
/// 100 USD inverse); results are in <see cref="ContractTerms.PnlCcy"/>.
/// <list type="bullet">
/// <item>Linear: gross = notional × (exit − entry) / entry for a long (sign flipped for a short); a fee is
/// notional × rate on both legs (the position's notional, so a take-profit nets exactly tp − 2·maker).</item>
/// <item>Inverse: gross = contracts × ctVal × ctMult × (1/entry − 1/exit) for a long (flipped for a short)
/// = notional × (exit − entry) / (entry × exit), in the coin; a fee is the leg's notional in coin at its
/// own price, notional / px × rate.</item>
/// </list>
/// </summary>
public static class ContractPnl
{
    /// <summary>Base-currency quantity of an order of <paramref name="notional"/> at <paramref name="px"/> (both kinds: notional / px).</summary>
    public static decimal Quantity(decimal notional, decimal px) => Math.Round(notional / px, 12, MidpointRounding.ToEven);

    /// <summary>Contracts of a position: inverse notional / (ctVal × ctMult); linear notional / px / (ctVal × ctMult). Not rounded to a lot.</summary>
    public static decimal Contracts(ContractTerms contract, decimal notional, decimal px)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var perContract = contract.CtVal * contract.CtMult;
        return contract.Inverse ? notional / perContract : Quantity(notional, px) / perContract;
    }

    /// <summary>Gross PnL in the PnL currency of a round trip from <paramref name="entryPx"/> to <paramref name="exitPx"/>.</summary>
    public static decimal Gross(bool inverse, bool isLong, decimal notional, decimal entryPx, decimal exitPx)
    {
        var move = isLong ? exitPx - entryPx : entryPx - exitPx;
        return inverse ? notional * move / (entryPx * exitPx) : notional * move / entryPx;
    }

    /// <summary>Fee in the PnL currency of one leg filled at <paramref name="px"/>.</summary>
    public static decimal Fee(bool inverse, decimal notional, decimal px, decimal feeRate) =>
        inverse ? notional / px * feeRate : notional * feeRate;

    /// <summary>The position's notional in the PnL currency at entry: the base of every "% of notional".</summary>
    public static decimal PnlNotional(bool inverse, decimal notional, decimal entryPx) => inverse ? notional / entryPx : notional;

    /// <summary>A PnL in % of the position's notional at entry (PnL currency).</summary>
    public static decimal ReturnPct(bool inverse, decimal pnl, decimal notional, decimal entryPx) =>
        pnl / PnlNotional(inverse, notional, entryPx) * 100m;

    /// <summary>Unrealised gross PnL of an open position marked at <paramref name="markPx"/> (for status).</summary>
    public static decimal Unrealized(ContractTerms contract, bool isLong, decimal notional, decimal entryPx, decimal markPx)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return Gross(contract.Inverse, isLong, notional, entryPx, markPx);
    }
}
