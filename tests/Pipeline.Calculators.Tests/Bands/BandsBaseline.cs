using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.Bands;

/// <summary>
/// bands recomputed per minute from the window's trades: sigma as the two-pass weighted deviation
/// sqrt(Σ q·(px − vwap)² / Σ q) with a double square root, not the code's Σpx²q/Σq − vwap².
/// </summary>
public static class BandsBaseline
{
    public static List<IReadOnlyDictionary<string, decimal?>> Of(IReadOnlyList<SeriesMinute> series, int sessionResetHour,
        IReadOnlyList<(decimal K, string Suffix)> multipliers)
    {
        var result = new List<IReadOnlyDictionary<string, decimal?>>();
        foreach (var m in series)
        {
            var session = Naive.SessionStart(m.Minute, sessionResetHour);
            var windows = new (string Name, List<Fill>? Fills)[]
            {
                ("1h", Naive.Spans(series, m.Minute, 60) ? Naive.Window(series, m.Minute, 60) : null),
                ("4h", Naive.Spans(series, m.Minute, 240) ? Naive.Window(series, m.Minute, 240) : null),
                ("Session", series[0].Minute <= session ? Naive.Fills(series, session, m.Minute + Naive.Minute) : null),
            };
            var d = new Dictionary<string, decimal?>();
            foreach (var (name, fills) in windows)
            {
                var vwap = fills is null ? null : Naive.Vwap(fills);
                var sigma = vwap is { } v ? Sigma(fills!, v) : (decimal?)null;
                d["sigma" + name] = sigma;
                foreach (var (k, suffix) in multipliers)
                {
                    d["upper" + name + "_" + suffix] = vwap + (k * sigma);
                    d["lower" + name + "_" + suffix] = vwap - (k * sigma);
                }
            }

            result.Add(d);
        }

        return result;
    }

    private static decimal Sigma(List<Fill> fills, decimal vwap)
    {
        var variance = fills.Sum(f => f.Qty * (f.Px - vwap) * (f.Px - vwap)) / fills.Sum(f => f.Qty);
        return (decimal)Math.Sqrt((double)variance);
    }
}
