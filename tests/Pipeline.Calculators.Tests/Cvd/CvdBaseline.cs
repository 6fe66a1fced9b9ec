using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.Cvd;

/// <summary>cvd recomputed per minute by summing taker deltas over the session's and the whole series' trades.</summary>
public static class CvdBaseline
{
    public static List<IReadOnlyDictionary<string, decimal?>> Of(IReadOnlyList<SeriesMinute> series, int sessionResetHour)
    {
        var result = new List<IReadOnlyDictionary<string, decimal?>>();
        foreach (var m in series)
        {
            var end = m.Minute + Naive.Minute;
            result.Add(new Dictionary<string, decimal?>
            {
                ["buyVol"] = m.Fills.Where(f => f.Buy).Sum(f => f.Qty),
                ["sellVol"] = m.Fills.Where(f => !f.Buy).Sum(f => f.Qty),
                ["delta"] = Delta(m.Fills),
                ["cvdSession"] = Delta(Naive.Fills(series, Naive.SessionStart(m.Minute, sessionResetHour), end)),
                ["cvdTotal"] = Delta(Naive.Fills(series, long.MinValue, end)),
            });
        }

        return result;
    }

    private static decimal Delta(IEnumerable<Fill> fills) => fills.Sum(f => f.Buy ? f.Qty : -f.Qty);
}
