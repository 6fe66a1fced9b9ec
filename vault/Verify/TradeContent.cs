using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// The content the truth comparison checks: every field of a raw trade but recvTs and src (local facts of
/// one recording): exchange, instId, tradeId, ts, px, sz, side, ctVal, ctMult, ctType, ctValCcy, qtyBase,
/// count, firstId, lastId. Texts compare byte for byte (the exchange's exact strings); absent optional
/// fields compare equal only to absent.
/// </summary>
public static class TradeContent
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The compared fields in line order, each as its text (null when absent).</summary>
    public static IEnumerable<(string Field, string? Value)> Fields(RawTrade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var c = CultureInfo.InvariantCulture;
        yield return ("exchange", trade.Exchange);
        yield return ("instId", trade.InstId);
        yield return ("tradeId", trade.TradeId);
        yield return ("ts", trade.Ts.ToString(c));
        yield return ("px", trade.Px);
        yield return ("sz", trade.Sz);
        yield return ("side", trade.Side);
        yield return ("ctVal", trade.CtVal);
        yield return ("ctMult", trade.CtMult);
        yield return ("ctType", trade.CtType);
        yield return ("ctValCcy", trade.CtValCcy);
        yield return ("qtyBase", trade.QtyBase);
        yield return ("count", trade.Count?.ToString(c));
        yield return ("firstId", trade.FirstId?.ToString(c));
        yield return ("lastId", trade.LastId?.ToString(c));
    }

    /// <summary>The fields that differ, as (field, expected, actual).</summary>
    public static IEnumerable<(string Field, string Expected, string Actual)> Differences(RawTrade expected, RawTrade actual) =>
        Fields(expected).Zip(Fields(actual))
            .Where(p => !string.Equals(p.First.Value, p.Second.Value, StringComparison.Ordinal))
            .Select(p => (p.First.Field, p.First.Value ?? "(absent)", p.Second.Value ?? "(absent)"));

    /// <summary>
    /// A 64-bit FNV-1a fingerprint of the compared fields, so the truth can be held as (id, hash, offset)
    /// per trade rather than as objects; equal content gives equal hashes, and a differing hash is then
    /// explained field by field from the truth line.
    /// </summary>
    public static ulong Hash(RawTrade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var h = Offset;
        h = Mix(h, trade.Exchange);
        h = Mix(h, trade.InstId);
        h = Mix(h, trade.TradeId);
        h = Mix(h, trade.Ts);
        h = Mix(h, trade.Px);
        h = Mix(h, trade.Sz);
        h = Mix(h, trade.Side);
        h = Mix(h, trade.CtVal);
        h = Mix(h, trade.CtMult);
        h = Mix(h, trade.CtType);
        h = Mix(h, trade.CtValCcy);
        h = Mix(h, trade.QtyBase);
        h = Mix(h, trade.Count);
        h = Mix(h, trade.FirstId);
        return Mix(h, trade.LastId);
    }

    private static ulong Mix(ulong h, string value)
    {
        foreach (var ch in value)
        {
            h = (h ^ ch) * Prime;
        }

        return (h ^ 0x1F) * Prime; // a separator, so "ab","c" differs from "a","bc"
    }

    private static ulong Mix(ulong h, long? value)
    {
        if (value is not { } v)
        {
            return (h ^ 0x1E) * Prime;
        }

        for (var i = 0; i < 8; i++)
        {
            h = (h ^ (byte)(v >> (8 * i))) * Prime;
        }

        return (h ^ 0x1D) * Prime;
    }
}
