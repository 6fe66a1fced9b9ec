using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Execution.Report;

public sealed class TradeStatsTests
{
    private static readonly long Day1 = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));

    /// <summary>Seven round trips over three days (notional 1000), in exit order: +10, −4, −3, −2, +5, 0, −1.</summary>
    internal static List<RoundTrip> Trips() =>
    [
        Trip(1, "long", Day1 + H(1), 10m),
        Trip(2, "long", Day1 + H(2), -4m),
        Trip(3, "short", Day1 + H(3), -3m),
        Trip(4, "short", Day1 + TradeTime.MsPerDay + H(1), -2m),
        Trip(5, "long", Day1 + TradeTime.MsPerDay + H(2), 5m),
        Trip(6, "short", Day1 + (2 * TradeTime.MsPerDay) + H(1), 0m),
        Trip(7, "short", Day1 + (2 * TradeTime.MsPerDay) + H(2), -1m),
    ];

    /// <summary>10 entries placed, 7 filled (3 expired); each position's take-profit and stop placed, one filled, one cancelled.</summary>
    internal static List<OrderEvent> Orders()
    {
        var orders = new List<OrderEvent>();
        for (var i = 1; i <= 10; i++)
        {
            orders.Add(Order("e" + i, "placed", "entry"));
            orders.Add(Order("e" + i, i <= 7 ? "filled" : "cancelled", "entry"));
        }

        for (var i = 1; i <= 7; i++)
        {
            orders.Add(Order("t" + i, "placed", "take_profit"));
            orders.Add(Order("s" + i, "placed", "stop_loss"));
            orders.Add(Order("t" + i, "filled", "take_profit"));
            orders.Add(Order("s" + i, "cancelled", "stop_loss"));
        }

        return orders;
    }

    [Fact]
    public void From_SevenTrades_HandWorkedNumbers()
    {
        var stats = TradeStats.From(Trips(), Orders());

        Assert.Equal(24, stats.OrdersPlaced); // 10 entries + 7 × 2 exit legs
        Assert.Equal(14, stats.OrdersFilled); // 7 entries + 7 exits
        Assert.Equal(14m * 100m / 24m, stats.FillRatePct); // 58.33 %
        Assert.Equal(70m, stats.EntryFillRatePct);
        Assert.Equal(5m / 7m, stats.Expectancy); // (10 − 4 − 3 − 2 + 5 + 0 − 1) / 7
        Assert.Equal(0.5m / 7m, stats.ExpectancyPct); // each trade's net / 1000 × 100, averaged
        Assert.Equal(3, stats.MaxConsecutiveLosses); // −4, −3, −2; the 0 trade ends the last run
        Assert.Equal(new SideStats(3, 2, 200m / 3m, 11m), stats.LongSide);
        Assert.Equal(new SideStats(4, 0, 0m, -6m), stats.ShortSide);
        Assert.Equal(3, stats.SharpeDays);
        Assert.False(stats.CanAnnualise);
    }

    [Fact]
    public void From_NoTradesNoOrders_NothingMadeUp()
    {
        var stats = TradeStats.From([], []);

        Assert.Null(stats.FillRatePct);
        Assert.Null(stats.Expectancy);
        Assert.Equal(0, stats.MaxConsecutiveLosses);
        Assert.Equal(0, stats.SharpeDays);
    }

    [Fact]
    public void SummaryRows_ThreeDays_SharpeWithSampleSizeAndNotAnnualised()
    {
        var report = PerformanceReport.FromRoundTrips(Trips());
        var rows = BacktestReportWriter.SummaryRows(report, TradeStats.From(Trips(), Orders())).ToDictionary(r => r.Name, r => r.Value);

        Assert.NotNull(report.DailySharpe);
        var sharpe = rows["Sharpe (daily, n=3 days: too few to annualise)"];
        Assert.Equal(BacktestReportWriter.Round(report.DailySharpe!.Value, 3), sharpe);
        Assert.DoesNotContain(rows, r => r.Value.Contains("annualised", StringComparison.Ordinal) && !r.Key.Contains("too few", StringComparison.Ordinal));
        Assert.Equal("0.7143 per trade (0.0714 % of notional)", rows["expectancy"]);
        Assert.Equal("58.33 % (14 of 24 orders filled; entries 7 of 10 = 70 %)", rows["fill rate"]);
        Assert.Equal("3", rows["max consecutive losses"]);
        Assert.Equal("3 trades, win rate 66.67 %, net PnL 11", rows["long"]);
        Assert.Equal("4 trades, win rate 0 %, net PnL -6", rows["short"]);
    }

    [Fact]
    public void SummaryRows_FortyDays_AnnualisedWithSampleSize()
    {
        var trips = Enumerable.Range(0, 40).Select(d => Trip(d, "long", Day1 + (d * TradeTime.MsPerDay) + H(5), d % 3 == 0 ? -2m : 3m)).ToList();
        var report = PerformanceReport.FromRoundTrips(trips);

        var (name, value) = BacktestReportWriter.SharpeRow(report, TradeStats.From(trips, []));

        Assert.Equal("Sharpe (daily, n=40 days)", name);
        Assert.Equal($"{BacktestReportWriter.Round(report.DailySharpe!.Value, 3)} (annualised {BacktestReportWriter.Round(report.AnnualizedSharpe!.Value, 2)})", value);
    }

    private static long H(int hours) => hours * 3_600_000L;

    private static RoundTrip Trip(int n, string direction, long exitTs, decimal net) =>
        new("p" + n, direction, exitTs - 600_000, 100m, exitTs, 100m, net > 0 ? "take_profit" : "stop_loss", 1000m, net + 0.5m, 0.5m, net);

    private static OrderEvent Order(string id, string evt, string kind) =>
        new(Day1, id, null, evt, kind, "buy", kind == "stop_loss" ? "stop_market" : "limit", 100m, 1m, null, "");
}
