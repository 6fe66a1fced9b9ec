using System.Text.Json;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// One execution (a row of GET /api/v5/trade/fills, or the fill fields of an <c>orders</c> push): size in contracts,
/// <see cref="Fee"/> as OKX signs it (negative = a charge, positive = a rebate), <see cref="ExecType"/> "M" maker / "T" taker,
/// <see cref="Ts"/> the trade time (<c>fillTime</c>, else <c>ts</c>), the same field the <c>orders</c> push carries.
/// </summary>
public sealed record OkxFill(
    string InstId,
    string TradeId,
    string OrdId,
    string ClOrdId,
    string BillId,
    string Side,
    decimal FillPx,
    decimal FillSz,
    decimal Fee,
    string FeeCcy,
    string ExecType,
    long Ts)
{
    public static OkxFill Parse(JsonElement f) => new(
        OkxFields.Text(f, "instId"), OkxFields.Text(f, "tradeId"), OkxFields.Text(f, "ordId"), OkxFields.Text(f, "clOrdId"),
        OkxFields.Text(f, "billId"), OkxFields.Text(f, "side"), OkxFields.Number(f, "fillPx"), OkxFields.Number(f, "fillSz"),
        OkxFields.Number(f, "fee"), OkxFields.Text(f, "feeCcy"), OkxFields.Text(f, "execType"),
        OkxFields.Long(f, "fillTime") is var fillTime and not 0 ? fillTime : OkxFields.Long(f, "ts"));
}
