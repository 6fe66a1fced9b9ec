using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Report;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Report;

public sealed class PerformanceReportTests
{
    private const long Day = 86_400_000;

    /// <summary>Runs the engine: a long at 980 per scenario, closed by a TP (win) or a stop (loss), <paramref name="dayGap"/> days apart.</summary>
    private static List<FillEvent> Scenario(bool[] wins, int dayGap = 0)
    {
        var h = new EngineHarness();
        var minute = 0;
        foreach (var win in wins)
        {
            h.Bar(minute, 980m);
            h.Trade(At(minute + 1, 1_000), 979m);
            h.Bar(minute + 1, 990m);
            h.Trade(At(minute + 2, 30_000), win ? 986m : 977m);
            h.Bar(minute + 2, 990m);
            minute += 3 + (dayGap * 1440);
        }

        return h.Sink.Fills;
    }

    [Fact]
    public void FromFills_TwoWinsOneLoss_Figures()
    {
        var report = PerformanceReport.FromFills(Scenario([true, false, true]));

        Assert.Equal((3, 2, 1), (report.TradeCount, report.Wins, report.Losses));
        Assert.Equal(200m / 3m, report.WinRatePct);
        Assert.Equal(11.2m / 3.7m, report.ProfitFactor);
        Assert.Equal(7.5m, report.NetPnl);
        Assert.Equal(0.75m, report.NetReturnPct);
        Assert.Equal(9m, report.GrossPnl);
        Assert.Equal(1.5m, report.FeesPaid);
        Assert.Equal(2, report.ExitsByReason["take_profit"]);
        Assert.Equal(1, report.ExitsByReason["stop_loss"]);
        Assert.Equal(TimeSpan.FromSeconds(89), report.AverageHolding);
        Assert.Equal(3.7m, report.MaxDrawdown);
        Assert.Equal(0.37m, report.MaxDrawdownPct);
        Assert.Equal([5.6m, 1.9m, 7.5m], report.EquityCurve.Select(p => p.CumulativeNetPnl));
        Assert.Null(report.DailySharpe); // one day only
        Assert.Contains("win rate 66.7 %", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromFills_OnlyLosses_DrawdownFromZeroAndNoProfitFactor()
    {
        var report = PerformanceReport.FromFills(Scenario([false, false]));
        Assert.Equal(0m, report.WinRatePct);
        Assert.Equal(-0.74m, report.NetReturnPct);
        Assert.Equal(7.4m, report.MaxDrawdown);
        Assert.Equal(0m, report.ProfitFactor ?? 0m);
        Assert.Equal(1.4m, report.FeesPaid);
    }

    [Fact]
    public void FromFills_NoLoss_ProfitFactorIsNull()
    {
        Assert.Null(PerformanceReport.FromFills(Scenario([true])).ProfitFactor);
    }

    [Fact]
    public void FromFills_OpenPosition_IsCountedApart()
    {
        var h = new EngineHarness();
        h.OpenLong();
        var report = PerformanceReport.FromFills(h.Sink.Fills);
        Assert.Equal((0, 1), (report.TradeCount, report.OpenPositions));
    }

    [Fact]
    public void FromFills_DailySharpe_MeanOverSampleStdOfDailyReturns()
    {
        // Days: +0.56 %, −0.37 %, +0.56 % of notional.
        var report = PerformanceReport.FromFills(Scenario([true, false, true], dayGap: 1));
        var r = new[] { 0.0056m, -0.0037m, 0.0056m };
        var mean = r.Sum() / 3;
        var std = PerformanceReport.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 2);
        Assert.Equal(mean / std, report.DailySharpe);
        Assert.Equal(0.466m, Math.Round(report.DailySharpe!.Value, 3));
        Assert.Equal(report.DailySharpe * PerformanceReport.Sqrt(365m), report.AnnualizedSharpe);
    }

    [Fact]
    public void FromFills_QuietDaysBetweenTrades_CountAsZeroReturnDays()
    {
        var report = PerformanceReport.FromFills(Scenario([true, true], dayGap: 2)); // days: 0.56, 0, 0.56
        var r = new[] { 0.0056m, 0m, 0.0056m };
        var mean = r.Sum() / 3;
        Assert.Equal(mean / PerformanceReport.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 2), report.DailySharpe);
    }

    [Fact]
    public void FromFills_ExitWithoutEntry_IsAnError()
    {
        var fills = Scenario([true]);
        Assert.Throws<InvalidDataException>(() => PerformanceReport.FromFills(fills.Skip(1)));
    }

    [Fact]
    public void FromFills_VenuePartialFills_AddUpToOneRoundTrip()
    {
        // A venue fills 0.6 + 0.4 BTC long at 100 and 101, the take-profit 0.5 at 103, then a stop the rest 0.5 at 99.
        static FillEvent F(long ts, string kind, string side, decimal px, decimal qty, decimal fee) =>
            new(ts, "f" + ts, "o-" + kind, "p1", kind, side, px, qty, qty * px, kind == "take_profit" || kind == "entry" ? "maker" : "taker",
                fee / (qty * px), fee, "t" + ts);
        var report = PerformanceReport.FromFills(
        [
            F(1, "entry", "buy", 100m, 0.6m, 0.012m), F(2, "entry", "buy", 101m, 0.4m, 0.00808m),
            F(3, "take_profit", "sell", 103m, 0.5m, 0.0103m), F(4, "stop_loss", "sell", 99m, 0.5m, 0.02475m),
        ]);

        var trip = Assert.Single(report.Trades);
        Assert.Equal(0, report.OpenPositions);
        Assert.Equal((100.4m, 101m, "stop_loss", 1L, 4L), (trip.EntryPx, trip.ExitPx, trip.ExitReason, trip.EntryTs, trip.ExitTs));
        // hand-worked: 0.5 × (103 − 100.4) + 0.5 × (99 − 100.4) = 1.3 − 0.7 = 0.6 gross; fees 0.05513
        Assert.Equal(0.6m, trip.GrossPnl);
        Assert.Equal(0.05513m, trip.Fees);
        Assert.Equal(1, PerformanceReport.FromFills(
            [F(1, "entry", "buy", 100m, 0.6m, 0.012m), F(2, "entry", "buy", 101m, 0.4m, 0.00808m), F(3, "take_profit", "sell", 103m, 0.5m, 0.0103m)])
            .OpenPositions); // half closed is still open
    }

    [Fact]
    public void Sqrt_IsExactForSquares()
    {
        Assert.Equal(3m, PerformanceReport.Sqrt(9m));
        Assert.Equal(0.0037m, PerformanceReport.Sqrt(0.00001369m));
        _ = Day;
    }
}
