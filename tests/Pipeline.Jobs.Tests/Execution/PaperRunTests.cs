using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Strategies;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution;

public sealed class PaperRunTests
{
    [Fact]
    public void EngineFeed_MinutesAndTrades_AreInterleavedByEventTime()
    {
        var run = new PaperRun(CreateConfig());
        MinuteInputs[] minutes = [Inputs(0, 980m), Inputs(1, 990m), Inputs(2, 990m), Inputs(3, 990m)];
        TradeTick[] trades =
        [
            new(At(0, 10_000), 990m, 1m, "buy", "1"),   // before the signal: cannot fill
            new(At(1, 0), 979m, 1m, "sell", "2"),       // first ms after the order was placed: fills
            new(At(2, 59_999), 986m, 1m, "buy", "3"),   // through the take-profit
            new(At(3, 10), 970m, 1m, "sell", "4"),      // next minute: the position is already closed
        ];

        var fed = EngineFeed.Run(run.Engine, minutes, trades);

        Assert.Equal(4, fed);
        Assert.Equal(4, run.Sink.Signals.Count);
        Assert.Equal(["2", "3"], run.Sink.Fills.Select(f => f.TradeId));
        var report = run.Report();
        Assert.Equal((1, 100m, 0.56m), (report.TradeCount, report.WinRatePct, report.NetReturnPct));
    }

    [Fact]
    public void PaperRun_WithoutSignals_KeepsOnlyLedgerEvents()
    {
        var run = new PaperRun(CreateConfig(), keepSignals: false);
        run.Engine.OnMinute(Inputs(0, 980m));
        Assert.Empty(run.Sink.Signals);
        Assert.Single(run.Sink.Orders);
    }
}
