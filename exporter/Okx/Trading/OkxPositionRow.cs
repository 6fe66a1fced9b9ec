using System.Text.Json;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// A position as OKX reports it (GET /api/v5/account/positions, a <c>positions</c> push): <see cref="Pos"/> in contracts,
/// signed in net mode; in long/short mode <see cref="PosSide"/> says which, and <see cref="SignedPos"/> nets them.
/// </summary>
public sealed record OkxPositionRow(string InstId, string PosSide, decimal Pos, decimal AvgPx, decimal Upl, long UTime)
{
    public decimal SignedPos => PosSide switch
    {
        "long" => Math.Abs(Pos),
        "short" => -Math.Abs(Pos),
        _ => Pos,
    };

    public static OkxPositionRow Parse(JsonElement p) => new(
        OkxFields.Text(p, "instId"), OkxFields.Text(p, "posSide"), OkxFields.Number(p, "pos"), OkxFields.Number(p, "avgPx"),
        OkxFields.Number(p, "upl"), OkxFields.Long(p, "uTime"));
}
