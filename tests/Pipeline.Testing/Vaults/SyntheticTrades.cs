using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Testing.Vaults;

/// <summary>A deterministic random day of trades: a price walk in 0.1 ticks, bursts, quiet minutes.</summary>
public static class SyntheticTrades
{
    public static List<RawTrade> Day(DateOnly day, int count, int seed = 7, long firstId = 1_000_000)
    {
        var random = new Random(seed);
        var trades = new List<RawTrade>(count);
        var start = TradeTime.DayStartMs(day);
        var price = 650_000L; // ticks of 0.1
        var id = firstId;
        for (var i = 0; i < count; i++)
        {
            // Spread over the day with quiet stretches: skip some minutes entirely.
            var ts = start + (long)((double)i / count * TradeTime.MsPerDay);
            if ((ts / 60_000) % 97 == 13)
            {
                continue;
            }

            price += random.Next(-3, 4);
            var qty = (random.Next(1, 2000) / 1000m).ToString(CultureInfo.InvariantCulture);
            trades.Add(TestVault.Trade(ts, (price / 10m).ToString("0.0", CultureInfo.InvariantCulture), qty,
                random.Next(2) == 0 ? "buy" : "sell", (id++).ToString(CultureInfo.InvariantCulture)));
        }

        return trades;
    }
}
