using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pipeline.Simulator.Live;

/// <summary>Appends raw UTF-8 JSON pieces to a reusable buffer (the WebSocket hot path allocates nothing per message).</summary>
public static class Wire
{
    public static void Raw(this IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    /// <summary>ASCII text without escaping (ids, symbols: the simulator's own names).</summary>
    public static void Ascii(this IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        var span = output.GetSpan(text.Length);
        var n = Encoding.ASCII.GetBytes(text, span);
        output.Advance(n);
    }

    public static void WholeNumber(this IBufferWriter<byte> output, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
    }

    /// <summary>A fixed-point number as plain text (see <see cref="Market.SimNumber"/>).</summary>
    public static void Number(this IBufferWriter<byte> output, long units, int scale, bool trim)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(32);
        output.Advance(Market.SimNumber.Write(span, units, scale, trim));
    }
}
