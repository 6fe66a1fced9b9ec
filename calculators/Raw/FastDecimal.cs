using System.Runtime.CompilerServices;
using System.Buffers.Text;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Raw;

/// <summary>
/// Parses plain decimal ASCII ("65000.1", "0.00000001") into <see cref="decimal"/> without
/// allocating: up to 19 significant digits accumulate in a ulong and become the decimal's mantissa
/// with the fraction length as its scale (exact, and the scale is kept as written). Longer texts
/// (an inverse contract's qtyBase has 28 digits) take the framework parser. For derived values; raw
/// amounts are checked by RawTradeRules.TryAmount, the one rule for raw lines.
/// </summary>
public static class FastDecimal
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    public static bool TryParse(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == '-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var scale = 0;
        var dot = false;
        for (; i < text.Length; i++)
        {
            var b = text[i];
            var d = (uint)(b - '0');
            if (d <= 9)
            {
                digits++;
                if (dot)
                {
                    scale++;
                }

                if (mantissa == 0 && d == 0)
                {
                    continue;
                }

                if (++significant > 19)
                {
                    return Slow(text, out value);
                }

                mantissa = (mantissa * 10) + d;
            }
            else if (b == '.' && !dot && digits > 0)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || (dot && scale == 0) || scale > 28)
        {
            return false;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)scale);
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        return ExactDecimal.IsPlain(text) && Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }
}
