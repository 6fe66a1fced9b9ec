using System.Buffers;
using System.Buffers.Text;
using Pipeline.Exporter.Instruments;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// Writes a <see cref="TradeItem"/> as a raw trade line, byte-identical to <see cref="RawTradeWriter"/>
/// (keys in the documented order), straight into an <see cref="IBufferWriter{T}"/>. The per-instrument
/// parts (exchange, instId, contract fields) are encoded once; per trade nothing is allocated.
/// </summary>
public sealed class TradeLineWriter
{
    private readonly byte[] _prefix;
    private readonly byte[] _contract;
    private readonly decimal _ctVal;
    private readonly decimal _ctMult;
    private readonly bool _inverse;

    public TradeLineWriter(InstrumentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        _prefix = Fragment(w =>
        {
            w.Text("{\"exchange\":"u8, spec.Exchange);
            w.Text(",\"instId\":"u8, spec.InstId);
            w.Raw(",\"tradeId\":\""u8);
        });
        _contract = Fragment(w =>
        {
            w.Text(",\"ctVal\":"u8, spec.CtVal);
            w.Text(",\"ctMult\":"u8, spec.CtMult);
            w.Text(",\"ctType\":"u8, spec.CtType);
            w.Text(",\"ctValCcy\":"u8, spec.CtValCcy);
            w.Raw(",\"qtyBase\":\""u8);
        });
        _ctVal = ExactDecimal.Parse(spec.CtVal);
        _ctMult = ExactDecimal.Parse(spec.CtMult);
        _inverse = spec.IsInverse;
    }

    public InstrumentSpec Spec { get; }

    /// <summary>Writes one line (ending in '\n'). Price and size must be validated plain decimals, px &gt; 0.</summary>
    public void Write(IBufferWriter<byte> output, in TradeItem trade)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(_prefix.Length + _contract.Length + 256);
        var n = 0;
        _prefix.CopyTo(span);
        n += _prefix.Length;
        n += Format(trade.Id, span[n..]);
        n += Copy("\",\"ts\":"u8, span[n..]);
        n += Format(trade.Ts, span[n..]);
        n += Copy(",\"px\":\""u8, span[n..]);
        n += Copy(trade.PxSpan, span[n..]);
        n += Copy("\",\"sz\":\""u8, span[n..]);
        n += Copy(trade.SzSpan, span[n..]);
        n += Copy(trade.Sell ? "\",\"side\":\"sell\""u8 : "\",\"side\":\"buy\""u8, span[n..]);
        _contract.CopyTo(span[n..]);
        n += _contract.Length;
        n += QtyBase(trade, span[n..]);
        n += Copy("\",\"recvTs\":"u8, span[n..]);
        n += Format(trade.RecvTs, span[n..]);
        n += Copy(trade.Src switch
        {
            TradeSource.Rest => ",\"src\":\"rest\""u8,
            TradeSource.Archive => ",\"src\":\"archive\""u8,
            _ => ",\"src\":\"ws\""u8,
        }, span[n..]);
        if (trade.Count > 0)
        {
            n += Copy(",\"count\":"u8, span[n..]);
            n += Format(trade.Count, span[n..]);
        }

        if (trade.FirstId >= 0 && trade.LastId >= 0)
        {
            n += Copy(",\"firstId\":"u8, span[n..]);
            n += Format(trade.FirstId, span[n..]);
            n += Copy(",\"lastId\":"u8, span[n..]);
            n += Format(trade.LastId, span[n..]);
        }

        n += Copy("}\n"u8, span[n..]);
        output.Advance(n);
    }

    /// <summary>Base quantity with the same arithmetic (and order) as <see cref="ContractMath.QtyBase"/>.</summary>
    private int QtyBase(in TradeItem trade, Span<byte> destination)
    {
        if (!Utf8Parser.TryParse(trade.SzSpan, out decimal sz, out _))
        {
            throw new FormatException("sz is not a decimal");
        }

        var size = sz * _ctVal * _ctMult;
        if (_inverse)
        {
            if (!Utf8Parser.TryParse(trade.PxSpan, out decimal px, out _))
            {
                throw new FormatException("px is not a decimal");
            }

            size /= px;
        }

        return ExactDecimal.FormatUtf8(size, destination);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }

    private delegate void FragmentBuilder(JsonLineBuilder builder);

    private static byte[] Fragment(FragmentBuilder build)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        build(new JsonLineBuilder(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
