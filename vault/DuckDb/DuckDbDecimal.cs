using System.Globalization;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Exact conversions between DuckDB DECIMAL (an unscaled integer of up to 38 digits and a scale)
/// and C# <see cref="decimal"/> (96-bit mantissa, scale ≤ 28) or text. Nothing goes through double.
/// </summary>
public static class DuckDbDecimal
{
    private const int MaxDecimalScale = 28;

    /// <summary>
    /// The exact <see cref="decimal"/> for unscaled × 10^-scale. Trailing fractional zeros are dropped
    /// when needed to fit; a value that still does not fit (more than 28–29 significant digits, or more
    /// than 28 fractional digits) throws, since rounding would change it.
    /// </summary>
    public static decimal ToDecimal(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        var s = scale;
        while (s > MaxDecimalScale || (magnitude >> 96) != 0)
        {
            var (quotient, remainder) = UInt128.DivRem(magnitude, 10);
            if (s == 0 || remainder != 0)
            {
                throw new DuckDbException(
                    $"the DECIMAL value {Format(unscaled, scale)} does not fit in a C# decimal exactly (at most 28-29 significant digits); read it as text instead");
            }

            magnitude = quotient;
            s--;
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)s);
    }

    /// <summary>DuckDB's text for a DECIMAL: every digit of the scale, e.g. (1500, 3) → "1.500".</summary>
    public static string Format(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var digits = (negative ? (UInt128)(-unscaled) : (UInt128)unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            if (digits.Length <= scale)
            {
                digits = new string('0', scale - digits.Length + 1) + digits;
            }

            digits = string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        }

        return negative ? "-" + digits : digits;
    }
}
