using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// One parsed trade (or control item) on its way from a receive loop or a REST fill to the instrument's
/// writer. A value type with inline price/size bytes: the hot path allocates nothing per trade.
/// </summary>
#pragma warning disable CA1051 // a mutable hot-path value type: parsers fill the fields in place (out/ref), no copies
public struct TradeItem
{
    public TradeItemKind Kind;
    public TradeSource Src;

    /// <summary>True for a taker sell.</summary>
    public bool Sell;
    public byte PxLength;
    public byte SzLength;

    /// <summary>OKX trades channel: fills aggregated (0 when not sent).</summary>
    public int Count;
    public long Id;
    public long Ts;
    public long RecvTs;

    /// <summary>Binance aggTrade first/last underlying trade ids (-1 when absent).</summary>
    public long FirstId;
    public long LastId;
    public Ascii32 Px;
    public Ascii32 Sz;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> PxSpan => ((ReadOnlySpan<byte>)Px)[..PxLength];

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> SzSpan => ((ReadOnlySpan<byte>)Sz)[..SzLength];

    /// <summary>The lowest id this item covers (aggregated trades cover count ids ending at Id).</summary>
    public readonly long FirstCoveredId => Count > 1 ? Id - Count + 1 : Id;

    /// <summary>Copies price and size text; false when either does not fit (the frame is then quarantined).</summary>
    public bool SetPxSz(ReadOnlySpan<byte> px, ReadOnlySpan<byte> sz)
    {
        if (px.Length > 32 || sz.Length > 32)
        {
            return false;
        }

        px.CopyTo(Px);
        sz.CopyTo(Sz);
        PxLength = (byte)px.Length;
        SzLength = (byte)sz.Length;
        return true;
    }

    public static TradeItem Control(TradeItemKind kind, long from = 0, long to = 0) =>
        new() { Kind = kind, FirstId = from, LastId = to };
}
#pragma warning restore CA1051
