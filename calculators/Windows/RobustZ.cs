namespace Pipeline.Calculators.Windows;

/// <summary>
/// A robust z-score against the previous <c>n</c> minute values: z = (x − median) / (1.4826 · MAD), where median and
/// MAD (the median of |v − median|) are taken over the n values before x (x itself is not in its own baseline, so a
/// spike does not dampen itself). 1.4826 makes the MAD a consistent estimator of σ for normal data (Rousseeuw &amp;
/// Croux 1993). Exact decimal: the medians are exact (the mean of the two middle values for an even n), only the
/// final division rounds. Null until n values precede x, and when the MAD is 0 (a flat baseline: no scale). The
/// values are the persisted state (a ring kept as a list for the state file); a minute-end operation, not per event.
/// </summary>
public sealed class RobustZ
{
    /// <summary>The normal-consistency factor of the MAD.</summary>
    public const decimal MadScale = 1.4826m;

    /// <summary>The last n values, a ring; <see cref="Next"/> is the oldest once full.</summary>
    public List<decimal> Values { get; set; } = [];

    public int Next { get; set; }

    /// <summary>The window the values were collected for; another setting starts the window again.</summary>
    public int Window { get; set; }

    /// <summary>
    /// The z-score of <paramref name="x"/> against the values before it, then adds <paramref name="x"/> to the window
    /// of <paramref name="window"/> values. A null x gives null and is not added (the baseline is the last n known values).
    /// </summary>
    public decimal? Push(decimal? x, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        if (x is not { } value)
        {
            return null;
        }

        if (Window != window)
        {
            Values = [];
            Next = 0; // a new setting: start again rather than mix window lengths
            Window = window;
        }

        var z = Values.Count == window ? Score(value) : null;
        if (Values.Count < window)
        {
            Values.Add(value);
            Next = Values.Count % window;
        }
        else
        {
            Values[Next] = value;
            Next = (Next + 1) % window;
        }

        return z;
    }

    private decimal? Score(decimal x)
    {
        var sorted = Values.ToArray();
        Array.Sort(sorted);
        var median = Median(sorted);
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = Math.Abs(sorted[i] - median);
        }

        Array.Sort(sorted);
        var mad = Median(sorted);
        return mad == 0 ? null : (x - median) / (MadScale * mad);
    }

    private static decimal Median(decimal[] sorted)
    {
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
