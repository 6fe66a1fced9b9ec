using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pipeline.Calculators.Raw;

/// <summary>
/// A trade id kept without allocating when it is a plain number (OKX and Binance ids are); any other
/// text is kept as a string. Ids order numerically: by length, then by text.
/// </summary>
public readonly record struct TradeIdKey(ulong Number, string? Text)
{
    public bool IsEmpty => Number == 0 && Text is null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    public static TradeIdKey From(ReadOnlySpan<byte> id)
    {
        if (id.Length is > 0 and <= 19 && (id.Length == 1 || id[0] != '0'))
        {
            ulong n = 0;
            var numeric = true;
            foreach (var b in id)
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    numeric = false;
                    break;
                }

                n = (n * 10) + d;
            }

            if (numeric && n != 0)
            {
                return new TradeIdKey(n, null);
            }
        }

        return new TradeIdKey(0, Encoding.UTF8.GetString(id));
    }

    public static TradeIdKey Parse(string? text) =>
        text is null ? default : From(Encoding.UTF8.GetBytes(text));

    public int CompareTo(TradeIdKey other)
    {
        if (Text is null && other.Text is null)
        {
            return Number.CompareTo(other.Number);
        }

        var a = ToString();
        var b = other.ToString();
        var byLength = a.Length.CompareTo(b.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a, b);
    }

    public override string ToString() => Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the id's text (unquoted) as UTF-8.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Text is null)
        {
            var span = output.GetSpan(20);
            Utf8Formatter.TryFormat(Number, span, out var written);
            output.Advance(written);
        }
        else
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(Text.Length));
            output.Advance(Encoding.UTF8.GetBytes(Text, span));
        }
    }
}
