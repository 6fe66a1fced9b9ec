using System.Text.Json;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// An order as OKX reports it (GET /api/v5/trade/order, orders-pending, an <c>orders</c> channel push), sizes in contracts.
/// <see cref="Fill"/> is the execution a push reports (fillSz &gt; 0 and a tradeId), else null.
/// </summary>
public sealed record OkxOrder(
    string InstId,
    string OrdId,
    string ClOrdId,
    string Side,
    string OrdType,
    decimal Px,
    decimal Sz,
    decimal AccFillSz,
    decimal AvgPx,
    string State,
    string CancelSource,
    long UTime,
    OkxFill? Fill)
{
    public static OkxOrder Parse(JsonElement o)
    {
        OkxFill? fill = null;
        var fillSz = OkxFields.Number(o, "fillSz");
        var tradeId = OkxFields.Text(o, "tradeId");
        if (fillSz > 0 && tradeId.Length > 0)
        {
            var fillTime = OkxFields.Long(o, "fillTime");
            fill = new OkxFill(OkxFields.Text(o, "instId"), tradeId, OkxFields.Text(o, "ordId"), OkxFields.Text(o, "clOrdId"), "",
                OkxFields.Text(o, "side"), OkxFields.Number(o, "fillPx"), fillSz, OkxFields.Number(o, "fillFee"), OkxFields.Text(o, "fillFeeCcy"),
                OkxFields.Text(o, "execType"), fillTime != 0 ? fillTime : OkxFields.Long(o, "uTime"));
        }

        return new OkxOrder(OkxFields.Text(o, "instId"), OkxFields.Text(o, "ordId"), OkxFields.Text(o, "clOrdId"), OkxFields.Text(o, "side"),
            OkxFields.Text(o, "ordType"), OkxFields.Number(o, "px"), OkxFields.Number(o, "sz"), OkxFields.Number(o, "accFillSz"),
            OkxFields.Number(o, "avgPx"), OkxFields.Text(o, "state"), OkxFields.Text(o, "cancelSource"), OkxFields.Long(o, "uTime"), fill);
    }
}
