using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.Vwap;

/// <summary>vwap recomputed per minute by scanning the trades of each window (README: VWAP over [M+1m−W, M+1m)).</summary>
public static class VwapBaseline
{
    public static List<IReadOnlyDictionary<string, decimal?>> Of(IReadOnlyList<SeriesMinute> series, int sessionResetHour)
    {
        var result = new List<IReadOnlyDictionary<string, decimal?>>();
        foreach (var m in series)
        {
            var d = new Dictionary<string, decimal?> { ["vwap1m"] = Naive.Vwap([.. m.Fills]) };
            foreach (var (name, minutes) in new[] { ("1h", 60), ("4h", 240) })
            {
                var w = Naive.Spans(series, m.Minute, minutes) ? Naive.Window(series, m.Minute, minutes) : null;
                Put(d, name, w);
            }

            var session = Naive.SessionStart(m.Minute, sessionResetHour);
            Put(d, "Session", series[0].Minute <= session ? Naive.Fills(series, session, m.Minute + Naive.Minute) : null);
            result.Add(d);
        }

        return result;
    }

    private static void Put(Dictionary<string, decimal?> d, string window, List<Fill>? fills)
    {
        d["vwap" + window] = fills is null ? null : Naive.Vwap(fills);
        d["trades" + window] = fills?.Count;
        d["vol" + window] = fills?.Sum(f => f.Qty);
    }
}
