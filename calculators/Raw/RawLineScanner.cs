using System.Runtime.CompilerServices;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Raw;

/// <summary>The fields stage 1 needs from one raw trade line.</summary>
public ref struct RawTradeFields
{
    public long Ts { get; set; }
    public decimal Px { get; set; }
    public decimal QtyBase { get; set; }
    public bool IsBuy { get; set; }
    public ReadOnlySpan<byte> TradeId { get; set; }

    /// <summary>The trade id as a number (the rules accept decimal ids only).</summary>
    public long TradeIdNumber { get; set; }
}

/// <summary>
/// Reads ts, px, qtyBase, side and tradeId from the UTF-8 bytes of a raw trade line without allocating.
/// Which lines are trades is decided by <see cref="RawTradeRules"/> alone, the rule <c>verify</c> and the
/// signal/executor apply too; this is only the calculators' view of its result.
/// </summary>
public static class RawLineScanner
{
    /// <summary>
    /// Scans one line of the file of (<paramref name="exchange"/>, <paramref name="instId"/>) (UTF-8 bytes;
    /// empty: any instrument). A valid line of another instrument gives a Foreign* error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    public static RawLineError Scan(ReadOnlySpan<byte> line, ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> instId,
        out RawTradeFields fields)
    {
        fields = default;
        var error = RawTradeRules.Read(line, exchange, instId, out var t);
        if (error != RawLineError.None)
        {
            return error;
        }

        fields.Ts = t.Ts;
        fields.Px = t.Px;
        fields.QtyBase = t.QtyBase;
        fields.IsBuy = t.IsBuy;
        fields.TradeId = t.TradeIdText;
        fields.TradeIdNumber = t.TradeId;
        return RawLineError.None;
    }

    /// <summary>Scans a line of any instrument; <paramref name="error"/> says why it is not a trade.</summary>
    public static bool TryScan(ReadOnlySpan<byte> line, out RawTradeFields fields, out string? error)
    {
        var code = Scan(line, default, default, out fields);
        error = code == RawLineError.None ? null : RawTradeRules.Describe(code);
        return code == RawLineError.None;
    }
}
