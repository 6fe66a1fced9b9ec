using System.Globalization;
using System.Numerics;

namespace Pipeline.Simulator.Truth;

/// <summary>
/// The ground truth's own <c>qtyBase</c>, computed apart from the product's <c>ContractMath</c> (which uses
/// C# decimal) so that a wrong quantity in the vault cannot pass the truth comparison by being wrong the same
/// way: exact rational arithmetic on <see cref="BigInteger"/> numerator/denominator, rounded once at the end.
/// The text follows the documented rule (README, raw line, <c>qtyBase</c>): the exact value when it has at most
/// 28 fractional digits and its significand fits in 96 bits; otherwise the value rounded half to even at the
/// most fractional digits (at most 28) whose significand still fits in 96 bits; trailing fractional zeros
/// removed, no exponent, no "-0".
/// </summary>
public static class TruthQuantity
{
    private const int MaxScale = 28;
    private static readonly BigInteger MaxSignificand = (BigInteger.One << 96) - 1;

    /// <summary>Linear: sz×ctVal×ctMult. Inverse: sz×ctVal×ctMult/px.</summary>
    public static string QtyBase(string sz, string px, string ctVal, string ctMult, bool inverse)
    {
        var (num, den) = Parse(sz);
        var (vn, vd) = Parse(ctVal);
        var (mn, md) = Parse(ctMult);
        num *= vn * mn;
        den *= vd * md;
        if (inverse)
        {
            var (pn, pd) = Parse(px);
            if (pn.IsZero)
            {
                throw new DivideByZeroException($"inverse quantity with price '{px}'");
            }

            num *= pd;
            den *= pn;
        }

        return Render(num, den);
    }

    /// <summary>Plain decimal text ("-12.340") as numerator and a power-of-ten denominator.</summary>
    public static (BigInteger Num, BigInteger Den) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        var point = body.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? body : body[..point];
        var fraction = point < 0 ? string.Empty : body[(point + 1)..];
        if (whole.Length == 0 || (point >= 0 && fraction.Length == 0) || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            throw new FormatException($"'{text}' is not a plain decimal number");
        }

        var num = BigInteger.Parse(whole + fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        return (negative ? -num : num, BigInteger.Pow(10, fraction.Length));
    }

    /// <summary>num/den as text by the rule in the class summary.</summary>
    public static string Render(BigInteger num, BigInteger den)
    {
        if (den.IsZero)
        {
            throw new DivideByZeroException();
        }

        var negative = num.Sign * den.Sign < 0;
        num = BigInteger.Abs(num);
        den = BigInteger.Abs(den);
        var scale = 0;
        for (; scale <= MaxScale; scale++)
        {
            var q = BigInteger.DivRem(num * BigInteger.Pow(10, scale), den, out var remainder);
            if (q > MaxSignificand)
            {
                scale--;
                break;
            }

            if (remainder.IsZero)
            {
                return Text(q, scale, negative);
            }
        }

        scale = Math.Min(scale, MaxScale);
        while (scale >= 0)
        {
            var q = BigInteger.DivRem(num * BigInteger.Pow(10, scale), den, out var remainder);
            var twice = remainder * 2;
            if (twice > den || (twice == den && !q.IsEven))
            {
                q++;
            }

            if (q <= MaxSignificand)
            {
                return Text(q, scale, negative);
            }

            scale--; // rounding up carried past 96 bits: one digit fewer
        }

        throw new OverflowException($"{num}/{den} does not fit in 96 bits");
    }

    private static string Text(BigInteger significand, int scale, bool negative)
    {
        var digits = significand.ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..];
        if (scale > 0)
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return negative && text != "0" ? "-" + text : text;
    }
}
