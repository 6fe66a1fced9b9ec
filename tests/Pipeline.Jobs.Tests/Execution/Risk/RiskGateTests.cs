using Pipeline.Jobs.Execution.Risk;

namespace Pipeline.Jobs.Tests.Execution.Risk;

public sealed class RiskGateTests
{
    private const string Inst = "BTC-USDT-SWAP";

    // Monday 2026-01-05 10:00:00 UTC.
    private static readonly long T0 = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static int _ids;

    private static RiskGate Gate(RiskLimits limits) => new("s1", limits, instId: Inst);

    private static RiskLimits Off => new() { MaxOrdersPerMinute = null, VolatilityHaltPct = null };

    private static OrderIntent Buy(decimal qty, string inst = Inst) => new("o" + Interlocked.Increment(ref _ids), inst, true, qty);

    private static RiskFill FillBuy(long ts, decimal qty, decimal px, decimal fee, string inst = Inst) =>
        new(ts, "f" + Interlocked.Increment(ref _ids), inst, true, qty, px, fee);

    [Fact]
    public void DailyLoss_RealisedPlusUnrealisedAtTheLimit_Blocks_OneCentBelow_Allows()
    {
        // Long 1 BTC at 1000 with a 0.2 USDT fee: at 995.3 the day is −0.2 − 4.7 = −4.9; at 995.2 it is −5.0 = −limit.
        var gate = Gate(Off with { DailyLossLimit = 5m });
        gate.OnFill(FillBuy(T0, 1m, 1000m, 0.2m));

        Assert.True(gate.Check(Buy(0.001m), 995.3m, T0 + 1000).Allowed);
        var blocked = gate.Check(Buy(0.001m), 995.2m, T0 + 2000);

        Assert.Equal("daily_loss", blocked.Limit);
        Assert.Contains("daily loss 5 (realised -0.2, unrealised -4.8) ≥ dailyLossLimit 5 until 2026-01-06T00:00:00.000Z", blocked.Reason, StringComparison.Ordinal);
        Assert.False(gate.Check(Buy(0.001m), 1100m, T0 + 3000).Allowed); // the halt holds for the rest of the UTC day, whatever the price
    }

    [Fact]
    public void DailyLoss_RealisedLossOfTheDay_ResetsOnTheNextUtcDay()
    {
        var gate = Gate(Off with { DailyLossLimit = 3m });
        gate.OnFill(FillBuy(T0, 1m, 1000m, 0m));
        gate.OnFill(new RiskFill(T0 + 1000, "sell-1", Inst, false, 1m, 997m, 0m)); // realised −3

        Assert.Equal(-3m, gate.DayRealized);
        Assert.Equal("daily_loss", gate.Check(Buy(0.1m), 997m, T0 + 2000).Limit);
        var midnight = T0 + (14 * 3_600_000L);
        Assert.Equal("daily_loss", gate.Check(Buy(0.1m), 997m, midnight - 1).Limit);
        Assert.True(gate.Check(Buy(0.1m), 997m, midnight).Allowed);
        Assert.Equal(0m, gate.DayRealized);
    }

    [Fact]
    public void OrdersPerMinute_TheOneOverTheLimitIsBlocked_UntilTheOldestIs60sOld()
    {
        var gate = Gate(Off with { MaxOrdersPerMinute = 3 });
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0).Allowed);
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 1000).Allowed);
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 2000).Allowed);

        var fourth = gate.Check(Buy(0.1m), 1000m, T0 + 59_999);
        Assert.Equal("orders_per_minute", fourth.Limit);
        Assert.Equal("3 orders in the last 60 s ≥ maxOrdersPerMinute 3", fourth.Reason);
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 60_000).Allowed); // the first order left the window
    }

    [Fact]
    public void OrdersPerMinute_TheSameOrderIdAgain_IsAllowedAndNotCountedTwice()
    {
        var gate = Gate(Off with { MaxOrdersPerMinute = 1 });
        var order = Buy(0.1m);
        Assert.True(gate.Check(order, 1000m, T0).Allowed);
        Assert.True(gate.Check(order, 1000m, T0 + 10).Allowed); // a repeated pass asks again for the same order
        Assert.False(gate.Check(Buy(0.1m), 1000m, T0 + 20).Allowed);
    }

    [Fact]
    public void MaxPositionQty_ExactlyTheMaxIsAllowed_MoreIsBlocked()
    {
        var gate = Gate(Off with { MaxPositionQty = 0.05m });
        gate.OnFill(FillBuy(T0, 0.03m, 1000m, 0m));

        Assert.True(gate.Check(Buy(0.02m), 1000m, T0 + 1).Allowed);
        var blocked = gate.Check(Buy(0.021m), 1000m, T0 + 2);
        Assert.Equal(("position_qty", "position 0.051 after the order > maxPositionQty 0.05"), (blocked.Limit, blocked.Reason));
        Assert.True(gate.Check(Buy(0.5m) with { IsBuy = false, ReduceOnly = true }, 1000m, T0 + 3).Allowed);
    }

    [Fact]
    public void MaxNotional_AtTheLivePrice_ExactlyTheMaxIsAllowed_OneTickMoreIsBlocked()
    {
        var gate = Gate(Off with { MaxNotional = 1000m });
        Assert.True(gate.Check(Buy(1m), 1000m, T0).Allowed);
        var blocked = gate.Check(Buy(1m), 1000.01m, T0 + 1);
        Assert.Equal(("notional", "notional 1000.01 after the order > maxNotional 1000"), (blocked.Limit, blocked.Reason));
    }

    [Fact]
    public void MaxTotalNotional_SumsEveryInstrument()
    {
        // 0.5 ETH marked at 2000 = 1000 plus 0.1 BTC at 10000 = 1000: 2000 is the max; 2000.1 is over.
        var gate = Gate(Off with { MaxTotalNotional = 2000m });
        gate.OnFill(FillBuy(T0, 0.5m, 2000m, 0m, "ETH-USDT-SWAP"));

        Assert.True(gate.Check(Buy(0.1m), 10000m, T0 + 1).Allowed);
        var blocked = gate.Check(Buy(0.1m), 10001m, T0 + 2);
        Assert.Equal(("total_notional", "total notional 2000.1 after the order > maxTotalNotional 2000"), (blocked.Limit, blocked.Reason));
    }

    [Fact]
    public void Volatility_MoveOf015PercentWithin5sOfLivePrices_HaltsNewOrdersFor10Minutes()
    {
        var gate = Gate(new RiskLimits());
        gate.OnPrice(T0 + 10_000, 1000m);
        gate.OnPrice(T0 + 14_999, 1001.5m); // seconds 10 … 14: the 5-second window; (1001.5 − 1000) / 1000 = 0.15 %

        var blocked = gate.Check(Buy(0.1m), 1001.5m, T0 + 15_000);
        Assert.Equal("volatility", blocked.Limit);
        Assert.Equal("volatility halt: 0.15 % move within 5 s at 2026-01-05T10:00:14.999Z until 2026-01-05T10:10:14.999Z", blocked.Reason);
        Assert.False(gate.Check(Buy(0.1m), 1000m, T0 + 614_998).Allowed);
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 614_999).Allowed);
    }

    [Fact]
    public void Volatility_JustBelowTheMoveOrAcrossSixSeconds_DoesNotHalt()
    {
        var below = Gate(new RiskLimits());
        below.OnPrice(T0 + 10_000, 1000m);
        below.OnPrice(T0 + 14_999, 1001.49m); // 0.149 %
        Assert.True(below.Check(Buy(0.1m), 1001.49m, T0 + 15_000).Allowed);

        var apart = Gate(new RiskLimits());
        apart.OnPrice(T0 + 10_999, 1000m);
        apart.OnPrice(T0 + 15_000, 1002m); // second 15: the window is seconds 11 … 15, second 10 has left it
        Assert.True(apart.Check(Buy(0.1m), 1002m, T0 + 15_001).Allowed);
    }

    [Fact]
    public void Volatility_ALaterSpike_RestartsTheHalt()
    {
        var gate = Gate(new RiskLimits { VolatilityHaltFor = TimeSpan.FromMinutes(1) });
        gate.OnPrice(T0, 1000m);
        gate.OnPrice(T0 + 1000, 1002m);
        gate.OnPrice(T0 + 50_000, 1002m);
        gate.OnPrice(T0 + 51_000, 1000m);
        Assert.False(gate.Check(Buy(0.1m), 1000m, T0 + 61_000).Allowed);
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 111_000).Allowed);
    }

    [Fact]
    public void Maintenance_InsideTheWindowBlocks_AtItsEndAllows()
    {
        var window = UtcRecurrence.ParseWindow("Mon 09:50-10:05", out _)!;
        var gate = Gate(Off with { Maintenance = [window] });
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 - 600_001).Allowed);
        var blocked = gate.Check(Buy(0.1m), 1000m, T0);
        Assert.Equal(("maintenance", "maintenance window Mon 09:50-10:05 UTC until 2026-01-05T10:05:00.000Z"), (blocked.Limit, blocked.Reason));
        Assert.True(gate.Check(Buy(0.1m), 1000m, T0 + 300_000).Allowed);
    }

    [Fact]
    public void KillSwitch_BlocksEveryNewOrder_ButNotAReduceOnlyExit_AndAsksToFlattenOnce()
    {
        var kill = new KillSwitch { Strategy = "s1", Active = true, Reason = "manual", SetAtMs = T0 };
        var gate = new RiskGate("s1", Off, kill: kill, instId: Inst);

        var blocked = gate.Check(Buy(0.1m), 1000m, T0 + 1);
        Assert.Equal("kill_switch", blocked.Limit);
        Assert.StartsWith("kill switch set at 2026-01-05T10:00:00.000Z (manual)", blocked.Reason, StringComparison.Ordinal);
        Assert.True(gate.Check(Buy(0.1m) with { ReduceOnly = true }, 1000m, T0 + 2).Allowed);
        Assert.Equal("kill switch set at 2026-01-05T10:00:00.000Z", gate.FlattenDue(T0 + 3));
        gate.OnFlattened(T0 + 3);
        Assert.Null(gate.FlattenDue(T0 + 4));
        Assert.False(gate.Check(Buy(0.1m), 1000m, T0 + 5).Allowed);
    }

    [Fact]
    public void FlattenAt_DueOnceWhenTheTimePasses_AgainTheNextDay()
    {
        var gate = Gate(Off with { FlattenAt = [UtcRecurrence.ParseTime("23:55", out _)!] });
        var at = T0 + (13 * 3_600_000L) + (55 * 60_000L); // 23:55
        Assert.Null(gate.FlattenDue(T0));
        Assert.Null(gate.FlattenDue(at - 1));
        Assert.Equal("auto-flatten at 23:55 UTC", gate.FlattenDue(at + 5));
        gate.OnFlattened(at + 5);
        Assert.Null(gate.FlattenDue(at + 60_000)); // after midnight: not again until the next 23:55
        Assert.Null(gate.FlattenDue(at + 86_400_000 - 1));
        Assert.NotNull(gate.FlattenDue(at + 86_400_000));
    }

    [Fact]
    public void FlattenOnDailyLoss_UnrealisedBreachOnALivePrice_AsksToFlatten()
    {
        var gate = Gate(Off with { DailyLossLimit = 5m, FlattenOnDailyLoss = true });
        gate.OnFill(FillBuy(T0, 1m, 1000m, 0m));
        gate.OnPrice(T0 + 1000, 995.01m);
        Assert.Null(gate.FlattenDue(T0 + 1000));
        gate.OnPrice(T0 + 2000, 995m);
        Assert.StartsWith("daily loss 5 (realised 0, unrealised -5)", gate.FlattenDue(T0 + 2000), StringComparison.Ordinal);
    }

    [Fact]
    public void OnFill_TheSameFillTwice_IsBookedOnce()
    {
        var gate = Gate(Off);
        var fill = FillBuy(T0, 1m, 1000m, 0.2m);
        gate.OnFill(fill);
        gate.OnFill(fill);
        Assert.Equal((1m, -0.2m), (gate.PositionQty(Inst), gate.DayRealized));
    }

    [Fact]
    public void OnPrice_WithAPositionAndEveryLimitOn_AllocatesNothingPerTick()
    {
        var gate = Gate(new RiskLimits { DailyLossLimit = 1_000_000m, FlattenOnDailyLoss = true, FlattenAt = [UtcRecurrence.ParseTime("23:55", out _)!] });
        gate.OnFill(FillBuy(T0, 1m, 1000m, 0.2m));
        for (var i = 0; i < 1000; i++)
        {
            gate.OnPrice(T0 + i, 1000m + (i % 7));
            gate.FlattenDue(T0 + i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            var ts = T0 + 1000 + (i * 10L);
            gate.OnPrice(ts, 1000m + (i % 13) * 0.5m);
            gate.FlattenDue(ts);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
