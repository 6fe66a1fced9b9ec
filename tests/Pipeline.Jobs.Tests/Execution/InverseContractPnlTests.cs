using System.Buffers;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution;

/// <summary>
/// Issue 14 item 7: an inverse swap (OKX BTC-USD-SWAP: ctVal 100 USD, settled in BTC) was valued with the
/// linear formula. Every expected number below is worked by hand in the comments, from the contract's
/// definition (PnL in coin = contracts × ctVal × (1/entry − 1/exit) for a long; a fee is the leg's notional
/// in coin, contracts × ctVal / price, times the rate), not from the code's formula. Prices are chosen so
/// every 1/price is a finite decimal: 1/32000 = 0.00003125, 1/40000 = 0.000025, 1/50000 = 0.00002,
/// 1/62500 = 0.000016. Notional 1000 USD = 10 contracts of 100 USD; maker 0.02 %, taker 0.05 %.
/// </summary>
public sealed class InverseContractPnlTests
{
    private static readonly ContractTerms BtcUsdSwap = ContractTerms.FromRaw("BTC-USD-SWAP", "inverse", "100", "1", "USD");
    private static readonly ContractTerms BtcUsdtSwap = ContractTerms.FromRaw("BTC-USDT-SWAP", "linear", "0.01", "1", "BTC");

    // Long at 40000 with a 25 % take-profit (50000) and a 20 % stop (32000).
    private static readonly ExecutionSettings LongLevels = new() { TakeProfitPct = 25m, StopLossPct = 20m, MaxDailyLossPct = 25m };

    // Short at 50000 with a 20 % take-profit (40000) and a 25 % stop (62500).
    private static readonly ExecutionSettings ShortLevels = new() { TakeProfitPct = 20m, StopLossPct = 25m };

    [Fact]
    public void InverseLong_TakeProfit_PnlAndMakerFeesInBtc()
    {
        var h = Long(BtcUsdSwap, exitPx: 50001m);
        var closed = h.Sink.Positions[^1];

        // gross = 10 × 100 × (1/40000 − 1/50000) = 1000 × (0.000025 − 0.00002) = 0.005 BTC
        //         (the linear formula would say 1000 × 10000 / 40000 = 250)
        // entry fee (maker) = 1000 / 40000 × 0.0002 = 0.025 × 0.0002 = 0.000005 BTC
        // exit fee (maker, take-profit limit) = 1000 / 50000 × 0.0002 = 0.02 × 0.0002 = 0.000004 BTC
        // net = 0.005 − 0.000009 = 0.004991 BTC; notional in coin at entry 1000 / 40000 = 0.025 BTC
        // net % = 0.004991 / 0.025 × 100 = 19.964
        Assert.Equal(("take_profit", 50000m), (closed.ExitReason, closed.ExitPx!.Value));
        Assert.Equal(0.005m, closed.GrossPnl);
        Assert.Equal(0.000009m, closed.Fees);
        Assert.Equal(0.004991m, closed.NetPnl);
        Assert.Equal(19.964m, closed.NetReturnPct);
        Assert.Equal(("BTC", "USD", true), (closed.PnlCcy, closed.NotionalCcy, closed.Inverse));
        Assert.Equal([0.000005m, 0.000004m], h.Sink.Fills.Select(f => f.Fee));
        Assert.All(h.Sink.Fills, f => Assert.Equal("BTC", f.FeeCcy));
        Assert.Equal(["maker", "maker"], h.Sink.Fills.Select(f => f.Liquidity));
    }

    [Fact]
    public void InverseLong_StopLoss_PnlAndTakerFeeInBtc()
    {
        var h = Long(BtcUsdSwap, exitPx: 32000m);
        var closed = h.Sink.Positions[^1];

        // gross = 1000 × (1/40000 − 1/32000) = 1000 × (0.000025 − 0.00003125) = −0.00625 BTC
        // entry fee (maker) = 0.000005 BTC; exit fee (taker stop) = 1000 / 32000 × 0.0005 = 0.03125 × 0.0005 = 0.000015625 BTC
        // net = −0.00625 − 0.000020625 = −0.006270625 BTC; net % = −0.006270625 / 0.025 × 100 = −25.0825
        Assert.Equal(("stop_loss", 32000m), (closed.ExitReason, closed.ExitPx!.Value));
        Assert.Equal(-0.00625m, closed.GrossPnl);
        Assert.Equal(0.000020625m, closed.Fees);
        Assert.Equal(-0.006270625m, closed.NetPnl);
        Assert.Equal(-25.0825m, closed.NetReturnPct);
        Assert.Equal(["maker", "taker"], h.Sink.Fills.Select(f => f.Liquidity));
        Assert.Equal(0.000015625m, h.Sink.Fills[1].Fee);
    }

    [Fact]
    public void InverseShort_TakeProfit_SignFlipped()
    {
        var h = Short(BtcUsdSwap, exitPx: 39999m);
        var closed = h.Sink.Positions[^1];

        // short: gross = 1000 × (1/40000 − 1/50000) = +0.005 BTC (price fell from 50000 to 40000)
        // entry fee (maker) = 1000 / 50000 × 0.0002 = 0.000004; exit fee (maker) = 1000 / 40000 × 0.0002 = 0.000005
        // net = 0.004991 BTC; notional in coin at entry 1000 / 50000 = 0.02 BTC; net % = 0.004991 / 0.02 × 100 = 24.955
        Assert.Equal(("take_profit", 40000m), (closed.ExitReason, closed.ExitPx!.Value));
        Assert.Equal(0.005m, closed.GrossPnl);
        Assert.Equal(0.000009m, closed.Fees);
        Assert.Equal(0.004991m, closed.NetPnl);
        Assert.Equal(24.955m, closed.NetReturnPct);
    }

    [Fact]
    public void InverseShort_StopLoss_SignFlippedTakerFee()
    {
        var h = Short(BtcUsdSwap, exitPx: 62500m);
        var closed = h.Sink.Positions[^1];

        // short: gross = 1000 × (1/50000 − 1/62500)... as a loss: 1000 × (0.000016 − 0.00002) = −0.004 BTC
        // entry fee (maker) = 0.000004; exit fee (taker) = 1000 / 62500 × 0.0005 = 0.016 × 0.0005 = 0.000008
        // net = −0.004 − 0.000012 = −0.004012 BTC; net % = −0.004012 / 0.02 × 100 = −20.06
        Assert.Equal(("stop_loss", 62500m), (closed.ExitReason, closed.ExitPx!.Value));
        Assert.Equal(-0.004m, closed.GrossPnl);
        Assert.Equal(0.000012m, closed.Fees);
        Assert.Equal(-0.004012m, closed.NetPnl);
        Assert.Equal(-20.06m, closed.NetReturnPct);
    }

    [Fact]
    public void LinearControl_SameTrades_KeepTheLinearFormulaInUsdt()
    {
        // The same long on BTC-USDT-SWAP (linear, ctVal 0.01 BTC): unchanged by the inverse work.
        // take-profit: gross = 1000 × (50000 − 40000) / 40000 = 250 USDT; fees 1000 × 0.0002 × 2 = 0.4; net 249.6 = 24.96 %
        var win = Long(BtcUsdtSwap, exitPx: 50001m).Sink.Positions[^1];
        Assert.Equal((250m, 0.4m, 249.6m, 24.96m), (win.GrossPnl!.Value, win.Fees, win.NetPnl!.Value, win.NetReturnPct!.Value));
        Assert.Equal(("USDT", "USDT", false), (win.PnlCcy, win.NotionalCcy, win.Inverse));

        // stop: gross = 1000 × (32000 − 40000) / 40000 = −200; fees 1000 × 0.0002 + 1000 × 0.0005 = 0.7; net −200.7 = −20.07 %
        var loss = Long(BtcUsdtSwap, exitPx: 32000m).Sink.Positions[^1];
        Assert.Equal((-200m, 0.7m, -200.7m, -20.07m), (loss.GrossPnl!.Value, loss.Fees, loss.NetPnl!.Value, loss.NetReturnPct!.Value));

        // and a strategy with no contract read (a config built in code) is the same linear valuation in the quote currency
        var unset = Long(null, exitPx: 50001m).Sink.Positions[^1];
        Assert.Equal((249.6m, "USDT"), (unset.NetPnl!.Value, unset.PnlCcy));
    }

    [Fact]
    public void InverseOrderQuantity_IsTheCoinNotionalOfTenContracts()
    {
        var h = Long(BtcUsdSwap, exitPx: 50001m);

        // 10 contracts × 100 USD / 40000 = 0.025 BTC, the same base quantity as a linear 1000-USDT order
        Assert.Equal(0.025m, h.Sink.Fills[0].Qty);
        Assert.Equal((1000m, "USD"), (h.Sink.Fills[0].Notional, h.Sink.Fills[0].NotionalCcy));
        Assert.Equal(10m, ContractPnl.Contracts(BtcUsdSwap, 1000m, 40000m));
    }

    [Fact]
    public void InverseDailyLossLimit_ComparesPercentOfCoinNotional()
    {
        var h = Long(BtcUsdSwap, exitPx: 32000m); // −25.0825 % of notional ≥ the 25 % limit

        var blocked = h.Bar(4, 40000m, vwap: 41000m, sigma: 100m);
        Assert.Equal("long signal skipped: daily loss 0.006270625 BTC = 25.0825 % of notional ≥ 25 %", blocked.Reason);
    }

    [Fact]
    public void ReportFromFills_InverseRoundTrips_RebuildsTheEnginesPnlInBtc()
    {
        var win = Long(BtcUsdSwap, exitPx: 50001m);
        var loss = Short(BtcUsdSwap, exitPx: 62500m);

        // The fills go through the ledger's JSON and back, as a report over ledger/{id}/fills.jsonl reads them.
        var fills = win.Sink.Fills.Concat(loss.Sink.Fills.Select(f => f with { PositionId = "q" + f.PositionId })).Select(RoundTripJson);
        var report = PerformanceReport.FromFills(fills);

        // 0.004991 + (−0.004012) = 0.000979 BTC; net % 19.964 + (−20.06) = −0.096
        Assert.Equal([0.004991m, -0.004012m], report.Trades.Select(t => t.NetPnl));
        Assert.Equal([19.964m, -20.06m], report.Trades.Select(t => t.NetReturnPct));
        Assert.Equal(0.000979m, report.NetPnl);
        Assert.Equal(-0.096m, report.NetReturnPct);
        Assert.Equal("BTC", report.PnlCcy);
        Assert.Contains("net PnL 0.000979 BTC", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReportFromFills_LedgerWithoutContractFields_IsReadAsLinear()
    {
        // A fills.jsonl written before ctType/feeCcy were recorded (every such ledger traded a linear swap).
        var entry = LedgerJson.ReadFill("""{"ts":1,"fillId":"f1","orderId":"o1","positionId":"p1","kind":"entry","side":"buy","px":"40000","qty":"0.025","notional":"1000","liquidity":"maker","feeRate":"0.0002","fee":"0.2","tradeId":"7"}"""u8);
        var exit = LedgerJson.ReadFill("""{"ts":2,"fillId":"f2","orderId":"o2","positionId":"p1","kind":"take_profit","side":"sell","px":"50000","qty":"0.025","notional":"1000","liquidity":"maker","feeRate":"0.0002","fee":"0.2","tradeId":"8"}"""u8);

        var trip = Assert.Single(PerformanceReport.FromFills([entry, exit]).Trades);
        Assert.Equal((false, 249.6m), (trip.Inverse, trip.NetPnl)); // 250 − 0.4, as before
    }

    [Fact]
    public void ContractTerms_FromRawLines_NameNotionalAndPnlCurrencies()
    {
        Assert.Equal(new ContractTerms(true, 100m, 1m, "USD", "USD", "BTC"), BtcUsdSwap);
        Assert.Equal(new ContractTerms(false, 0.01m, 1m, "BTC", "USDT", "USDT"), BtcUsdtSwap);
        Assert.Equal(("USDT", false), Pick(ContractTerms.FromRaw("BTCUSDT", "linear", "1", "1", "BTC")));
        Assert.Equal(("ETH", true), Pick(ContractTerms.FromRaw("ETH-USD-SWAP", "inverse", "10", "1", "USD")));
        Assert.Equal(("BTC", true), Pick(ContractTerms.FromRaw("BTCUSD_PERP", "inverse", "100", "1", "USD")));
        Assert.Equal(("USDC", false), Pick(ContractTerms.Linear("BTC-USDC-SWAP")));
        Assert.Equal(("USDT", false), Pick(ContractTerms.Linear("BTCUSDT")));

        static (string, bool) Pick(ContractTerms t) => (t.PnlCcy, t.Inverse);
    }

    private static EngineHarness Long(ContractTerms? contract, decimal exitPx)
    {
        var h = new EngineHarness(LongLevels, contract: contract);
        Assert.Equal(SignalAction.EnterLong, h.Bar(0, 40000m, vwap: 41000m, sigma: 100m).Action); // lower band 40850
        h.Trade(At(1, 500), 39999m);  // through the 40000 limit: filled
        h.Trade(At(2, 0), exitPx);    // > 50000 reaches the take-profit, ≤ 32000 the stop
        h.Engine.AdvanceTo(Minute(3)); // the minute's exits resolve at its end
        Assert.Null(h.Engine.Position);
        return h;
    }

    private static EngineHarness Short(ContractTerms? contract, decimal exitPx)
    {
        var h = new EngineHarness(ShortLevels, contract: contract);
        Assert.Equal(SignalAction.EnterShort, h.Bar(0, 50000m, vwap: 49000m, sigma: 100m).Action); // upper band 49150
        h.Trade(At(1, 500), 50001m);
        h.Trade(At(2, 0), exitPx);
        h.Engine.AdvanceTo(Minute(3));
        Assert.Null(h.Engine.Position);
        return h;
    }

    private static FillEvent RoundTripJson(FillEvent fill)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = LedgerJson.CreateWriter(buffer))
        {
            LedgerJson.WriteFill(writer, "s", fill);
        }

        return LedgerJson.ReadFill(buffer.WrittenSpan);
    }
}
