using System.Buffers.Text;
using System.Globalization;

namespace Pipeline.Vault.Trades;

/// <summary>
/// Exact decimal text: digits with an optional fraction, as exchanges send prices and sizes.
/// No exponent, no float: "0.00000001" stays "0.00000001".
/// </summary>
public static class ExactDecimal
{
    /// <summary>True for text like "101245.7", "0.00000001", "-3" (no exponent, no leading '+').</summary>
    public static bool IsPlain(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (text[i] != '.')
        {
            return false;
        }

        i++;
        var fraction = 0;
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
            fraction++;
        }

        return fraction > 0 && i == text.Length && fraction <= 28;
    }

    public static bool IsPlain(string text)
    {
        Span<byte> buffer = stackalloc byte[64];
        if (text.Length > buffer.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                return false;
            }

            buffer[i] = (byte)text[i];
        }

        return IsPlain(buffer[..text.Length]);
    }

    public static bool TryParse(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        return IsPlain(text) && Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }

    public static decimal Parse(string text) =>
        IsPlain(text)
            ? decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)
            : throw new FormatException($"'{text}' is not a plain decimal number");

    /// <summary>
    /// Canonical text of a computed decimal: invariant culture, trailing fractional zeros removed
    /// (so the same value is always written the same way), never an exponent.
    /// </summary>
    public static string Format(decimal value)
    {
        Span<char> buffer = stackalloc char[64];
        return new string(Format(value, buffer));
    }

    /// <summary>Formats into <paramref name="buffer"/> and returns the written part.</summary>
    public static ReadOnlySpan<char> Format(decimal value, Span<char> buffer)
    {
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        var text = buffer[..written];
        if (text.Contains('.'))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text is "-0" ? "0" : text;
    }

    /// <summary>UTF-8 variant of <see cref="Format(decimal)"/> for writers.</summary>
    public static int FormatUtf8(decimal value, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[64];
        var text = Format(value, chars);
        for (var i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
