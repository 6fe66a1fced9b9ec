using System.Text.Json;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX's index price: the public channel <c>index-tickers</c>, subscribed by the index (<c>instId</c> = the swap's
/// underlying, <c>BTC-USDT</c> for <c>BTC-USDT-SWAP</c>), not by the swap (PROTOCOL.md, "Index price"). Each row's
/// <c>idxPx</c> at <c>ts</c> becomes a derivatives line (channel <c>index-tickers</c>, <c>indexPx</c>) of every recorded swap
/// on that index; the 24 h statistics the row also carries are not recorded.
/// </summary>
public static class OkxIndexTickers
{
    public const string Channel = "index-tickers";
    private const string SwapSuffix = "-SWAP";

    /// <summary>The index a perpetual swap follows (its <c>uly</c>: the instId without <c>-SWAP</c>); null for anything else.</summary>
    public static string? IndexOf(string instId)
    {
        ArgumentNullException.ThrowIfNull(instId);
        return instId.EndsWith(SwapSuffix, StringComparison.Ordinal) && instId.Length > SwapSuffix.Length ? instId[..^SwapSuffix.Length] : null;
    }

    /// <summary>The distinct indexes of the swaps among <paramref name="instIds"/>, in their order.</summary>
    public static IReadOnlyList<string> Indexes(IEnumerable<string> instIds) =>
        [.. instIds.Select(IndexOf).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// One row of an <c>index-tickers</c> push for <paramref name="index"/>: a derivatives record per swap in
    /// <paramref name="swaps"/>; null, or why the row is refused (its instId not the index, idxPx not a positive plain
    /// decimal string, no ts).
    /// </summary>
    internal static string? ReadRow(ref Utf8JsonReader reader, string index, IReadOnlyList<string> swaps, long recvTs, List<object> pending)
    {
        long ts = -1;
        string? idxPx = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("ts"u8))
            {
                if (!TradeFields.TryLong(ref reader, out ts) || ts == 0)
                {
                    return "ts is not a ms timestamp";
                }
            }
            else if (name.SequenceEqual("instId"u8))
            {
                if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(index))
                {
                    return $"row instId differs from the subscribed index {index}";
                }
            }
            else if (name.SequenceEqual("idxPx"u8))
            {
                if ((idxPx = OkxMicroRows.ReadDecimal(ref reader, positive: true)) is null)
                {
                    return "idxPx is not a positive plain decimal string";
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (ts < 0 || idxPx is null)
        {
            return $"{Channel} row lacks {(ts < 0 ? "ts" : "idxPx")}";
        }

        foreach (var swap in swaps)
        {
            pending.Add(new DerivativesRecord
            {
                Exchange = OkxVenue.Name, InstId = swap, Ts = ts, Channel = Channel, IndexPx = idxPx, RecvTs = recvTs, Src = "ws",
            });
        }

        return null;
    }
}
