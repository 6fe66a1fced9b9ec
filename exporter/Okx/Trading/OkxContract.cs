using System.Text.Json;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// The order-relevant facts of one OKX swap from <c>GET /api/v5/public/instruments</c>: contract value (base coin per
/// contract for a linear swap), lot, tick and minimum size (contracts). Converts the venue interface's base-coin
/// quantities to contracts and rounds prices to the tick.
/// </summary>
public sealed record OkxContract(string InstId, string CtType, string CtValCcy, decimal CtVal, decimal LotSz, decimal TickSz, decimal MinSz, string SettleCcy)
{
    public bool IsLinear => CtType == "linear";

    /// <summary>One row of the instruments answer; throws <see cref="VenueException"/> (Rejected) for a row without the sizes.</summary>
    public static OkxContract Parse(JsonElement row)
    {
        var c = new OkxContract(OkxFields.Text(row, "instId"), OkxFields.Text(row, "ctType"), OkxFields.Text(row, "ctValCcy"),
            OkxFields.Number(row, "ctVal"), OkxFields.Number(row, "lotSz"), OkxFields.Number(row, "tickSz"), OkxFields.Number(row, "minSz"),
            OkxFields.Text(row, "settleCcy"));
        if (c.CtVal <= 0 || c.LotSz <= 0 || c.TickSz <= 0)
        {
            throw new VenueException(VenueErrorKind.Rejected, $"okx instrument {c.InstId}: ctVal, lotSz and tickSz must be positive (got '{OkxFields.Text(row, "ctVal")}', '{OkxFields.Text(row, "lotSz")}', '{OkxFields.Text(row, "tickSz")}')");
        }

        return c;
    }

    /// <summary>Refuses an inverse (coin-margined) swap: its ctVal is in USD, so a base-coin quantity has no fixed contract count.</summary>
    public void EnsureLinear()
    {
        if (!IsLinear)
        {
            throw new VenueException(VenueErrorKind.Rejected,
                $"okx {InstId} is an {(CtType.Length > 0 ? CtType : "unknown-type")} contract (ctVal {CtVal} {CtValCcy}): the OKX order venue trades linear (USDT/USDC-margined) swaps only, whose sizes are base coin × ctVal");
        }
    }

    /// <summary>Contracts for <paramref name="baseQuantity"/> base coin: divided by ctVal, rounded DOWN to the lot (never more than asked).</summary>
    public decimal Contracts(decimal baseQuantity) => Math.Floor(baseQuantity / CtVal / LotSz) * LotSz;

    /// <summary>Base coin for <paramref name="contracts"/>.</summary>
    public decimal Base(decimal contracts) => contracts * CtVal;

    /// <summary>
    /// <paramref name="price"/> on the tick: a post-only (maker) order away from crossing (buy down, sell up); an IOC limit
    /// (a worst price) towards the book (buy up, sell down) so it never excludes a level.
    /// </summary>
    public decimal RoundPrice(decimal price, VenueSide side, bool maker)
    {
        var ticks = price / TickSz;
        var down = side == VenueSide.Buy == maker;
        return (down ? Math.Floor(ticks) : Math.Ceiling(ticks)) * TickSz;
    }
}
