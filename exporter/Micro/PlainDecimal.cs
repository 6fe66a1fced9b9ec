namespace Pipeline.Exporter.Micro;

/// <summary>
/// The hot path's check of a price as sent: a plain decimal above zero, the same verdict as
/// <c>ExactDecimal.IsPlain(text) &amp;&amp; ExactDecimal.Parse(text) &gt; 0</c> for the lengths a decimal holds, in one pass.
/// </summary>
internal static class PlainDecimal
{
    /// <summary>Digits, at most one '.' with digits on both sides, at least one non-zero digit; one pass (the hot path's check of every price).</summary>
    public static bool IsPositive(ReadOnlySpan<byte> text)
    {
        int i = 0, integer = 0, fraction = -1;
        var nonZero = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                nonZero |= c != '0';
                if (fraction < 0)
                {
                    integer++;
                }
                else
                {
                    fraction++;
                }
            }
            else if (c == '.' && fraction < 0 && integer > 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }

        return integer > 0 && fraction != 0 && fraction <= 28 && nonZero;
    }
}
