namespace Pipeline.Calculators.Bands;

/// <summary>Decimal functions the framework lacks.</summary>
public static class DecimalMath
{
    /// <summary>
    /// Square root to decimal precision (28–29 significant digits): seeded with the double square
    /// root (IEEE, correctly rounded, so deterministic everywhere), then Newton steps y = (y + x/y)/2
    /// in decimal until the value stops changing (at most 6; each doubles the correct digits).
    /// </summary>
    public static decimal Sqrt(decimal x)
    {
        if (x < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), "square root of a negative number");
        }

        if (x == 0)
        {
            return 0;
        }

        var y = (decimal)Math.Sqrt((double)x);
        if (y == 0)
        {
            y = x < 1 ? 1e-14m : 1m;
        }

        for (var i = 0; i < 6; i++)
        {
            var next = (y + (x / y)) / 2;
            if (next == y)
            {
                break;
            }

            y = next;
        }

        return y;
    }
}
