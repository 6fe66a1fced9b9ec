namespace Pipeline.Simulator.Market;

/// <summary>Fixed-point integers (units of 10^-scale) written as plain decimal text, without allocation.</summary>
public static class SimNumber
{
    public static string Format(long units, int scale, bool trim)
    {
        Span<byte> buffer = stackalloc byte[32];
        var n = Write(buffer, units, scale, trim);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>Writes the text into <paramref name="destination"/> (at least 32 bytes) and returns its length.</summary>
    public static int Write(Span<byte> destination, long units, int scale, bool trim)
    {
        var negative = units < 0;
        var value = negative ? unchecked((ulong)-units) : (ulong)units;
        Span<byte> digits = stackalloc byte[24];
        var count = 0;
        do
        {
            digits[count++] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);

        while (count <= scale)
        {
            digits[count++] = (byte)'0';
        }

        var fraction = scale;
        if (trim)
        {
            var zeros = 0;
            while (zeros < fraction && digits[zeros] == '0')
            {
                zeros++;
            }

            digits = digits[zeros..];
            count -= zeros;
            fraction -= zeros;
        }

        var n = 0;
        if (negative)
        {
            destination[n++] = (byte)'-';
        }

        for (var i = count - 1; i >= fraction; i--)
        {
            destination[n++] = digits[i];
        }

        if (fraction > 0)
        {
            destination[n++] = (byte)'.';
            for (var i = fraction - 1; i >= 0; i--)
            {
                destination[n++] = digits[i];
            }
        }

        return n;
    }
}
