namespace Pipeline.Simulator.Market;

/// <summary>
/// The trades of one instrument in one block of <see cref="MarketGenerator.BlockMs"/> ms, in time
/// order. Prints and fills are sorted by Ts; ids are consecutive across blocks.
/// </summary>
public sealed class MarketBlock(SimInstrument instrument, long index, SimFill[] fills, SimPrint[] prints)
{
    public SimInstrument Instrument { get; } = instrument;

    public long Index { get; } = index;

    public long StartMs => Index * MarketGenerator.BlockMs;

    public long EndMs => StartMs + MarketGenerator.BlockMs;

    public ReadOnlyMemory<SimFill> Fills { get; } = fills;

    public ReadOnlyMemory<SimPrint> Prints { get; } = prints;

    /// <summary>The first print with Ts &gt;= <paramref name="ts"/> (Prints.Length when none).</summary>
    public int FirstPrintAtOrAfter(long ts)
    {
        var prints = Prints.Span;
        int lo = 0, hi = prints.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (prints[mid].Ts < ts)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The first fill with Ts &gt;= <paramref name="ts"/> (Fills.Length when none).</summary>
    public int FirstFillAtOrAfter(long ts)
    {
        var fills = Fills.Span;
        int lo = 0, hi = fills.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (fills[mid].Ts < ts)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
