using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.Adx;

/// <summary>
/// ADX, ±DI, DX, ATR, TR and ±DM recomputed over whole arrays in double, from the definitions TA-Lib
/// documents (ta_ADX.c, ta_PLUS_DI.c, ta_ATR.c). Not the incremental decimal code under test; the
/// arrays themselves are checked against TA-Lib's published values (the committed fixture). Price
/// differences are taken in decimal, so a tie between the up and down moves is a tie (as in the exact
/// decimal input), then everything runs in double.
/// </summary>
public static class AdxBaseline
{
    private const double Zero = 1e-14; // TA-Lib's TA_IS_ZERO

    public static List<IReadOnlyDictionary<string, decimal?>> Of(IReadOnlyList<SeriesMinute> series, int period)
    {
        // The minute's high, low and close from its trades; a quiet minute has no range at the last close.
        var hlc = new List<(decimal H, decimal L, decimal C)>();
        var close = 100m;
        foreach (var m in series)
        {
            if (m.Fills.Count > 0)
            {
                close = m.Fills[^1].Px;
                hlc.Add((m.Fills.Max(f => f.Px), m.Fills.Min(f => f.Px), close));
            }
            else
            {
                hlc.Add((close, close, close));
            }
        }

        var v = Compute(hlc, period);
        return [.. Enumerable.Range(0, hlc.Count).Select(i => (IReadOnlyDictionary<string, decimal?>)new Dictionary<string, decimal?>
        {
            ["tr"] = D(v.Tr[i]), ["plusDm"] = D(v.PlusDm[i]), ["minusDm"] = D(v.MinusDm[i]), ["atr"] = D(v.Atr[i]),
            ["plusDi"] = D(v.PlusDi[i]), ["minusDi"] = D(v.MinusDi[i]), ["dx"] = D(v.Dx[i]), ["adx"] = D(v.Adx[i]),
        })];
    }

    public sealed record Values(double?[] Tr, double?[] PlusDm, double?[] MinusDm, double?[] Atr, double?[] PlusDi, double?[] MinusDi, double?[] Dx, double?[] Adx);

    public static Values Compute(IReadOnlyList<(decimal H, decimal L, decimal C)> bars, int p)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var n = bars.Count;
        var tr = new double?[n];
        var pdm = new double?[n];
        var mdm = new double?[n];
        for (var i = 1; i < n; i++)
        {
            var (h, l, _) = bars[i];
            var up = h - bars[i - 1].H;
            var down = bars[i - 1].L - l;
            pdm[i] = up > 0 && up > down ? (double)up : 0;
            mdm[i] = down > 0 && down > up ? (double)down : 0;
            var c = bars[i - 1].C;
            tr[i] = (double)new[] { h - l, Math.Abs(h - c), Math.Abs(l - c) }.Max();
        }

        // ATR: the mean of TR over bars 1..p, then Wilder's average.
        var atr = new double?[n];
        for (var i = p; i < n; i++)
        {
            atr[i] = i == p ? Enumerable.Range(1, p).Average(j => tr[j]!.Value) : ((atr[i - 1]!.Value * (p - 1)) + tr[i]!.Value) / p;
        }

        // ±DM and TR: Wilder's running sums seeded with the sum over bars 1..p−1.
        double?[] Smooth(double?[] x)
        {
            var s = new double?[n];
            for (var i = p; i < n; i++)
            {
                var previous = i == p ? Enumerable.Range(1, p - 1).Sum(j => x[j]!.Value) : s[i - 1]!.Value;
                s[i] = previous - (previous / p) + x[i]!.Value;
            }

            return s;
        }

        var sp = Smooth(pdm);
        var sm = Smooth(mdm);
        var st = Smooth(tr);
        var pdi = new double?[n];
        var mdi = new double?[n];
        var dx = new double?[n];
        var valid = new bool[n];
        for (var i = p; i < n; i++)
        {
            var previousDx = i == p ? 0 : dx[i - 1]!.Value;
            if (Math.Abs(st[i]!.Value) < Zero)
            {
                (pdi[i], mdi[i], dx[i]) = (0, 0, previousDx);
                continue;
            }

            pdi[i] = 100 * sp[i]!.Value / st[i]!.Value;
            mdi[i] = 100 * sm[i]!.Value / st[i]!.Value;
            var sum = pdi[i]!.Value + mdi[i]!.Value;
            valid[i] = Math.Abs(sum) >= Zero;
            dx[i] = valid[i] ? 100 * Math.Abs(pdi[i]!.Value - mdi[i]!.Value) / sum : previousDx;
        }

        // ADX: the mean of the valid DX over bars p..2p−1 (an invalid one counts 0), then Wilder's
        // average of the valid DX (an invalid one leaves ADX as it was).
        var adx = new double?[n];
        for (var i = (2 * p) - 1; i < n; i++)
        {
            adx[i] = i == (2 * p) - 1
                ? Enumerable.Range(p, p).Sum(j => valid[j] ? dx[j]!.Value : 0) / p
                : valid[i] ? ((adx[i - 1]!.Value * (p - 1)) + dx[i]!.Value) / p : adx[i - 1];
        }

        return new Values(tr, pdm, mdm, atr, pdi, mdi, dx, adx);
    }

    private static decimal? D(double? x) => x is { } v ? (decimal)v : null;
}
