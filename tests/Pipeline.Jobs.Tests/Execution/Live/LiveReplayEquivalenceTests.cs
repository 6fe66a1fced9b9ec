using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Live;

/// <summary>
/// The same market fed (a) to an in-memory run at once and (b) to the live executor in many small
/// passes, with raw trades ahead of the calculators and a crash between ledger and state in the
/// middle, must give the same fills and decisions.
/// </summary>
public sealed class LiveReplayEquivalenceTests : IDisposable
{
    private const int Minutes = 240;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LivePasses_WithACrash_MatchOneInMemoryRun()
    {
        var (minutes, trades) = ChoppyMarket(count: Minutes, sideFromStep: true, occasionalHalt: true, seed: 7);
        // The synthetic trades move several tenths of a percent within seconds (their minutes say 2.25 bps): the gate's
        // volatility halt is set at 0.8 % so it halts now and then, and its state (saved before the executor's, so
        // ahead of it after the crash) must replay exactly too.
        var config = CreateConfig() with { Risk = new RiskLimits { VolatilityHaltPct = 0.8m } };

        var run = new PaperRun(config);
        EngineFeed.Run(run.Engine, minutes, trades);
        Assert.Contains(run.Sink.Signals, s => s.Reason.Contains("risk volatility", StringComparison.Ordinal));
        Assert.True(run.Sink.Fills.Count >= 6, $"the synthetic market should trade; it made {run.Sink.Fills.Count} fills: " + string.Join(" | ", run.Sink.Signals.GroupBy(s => s.ActionText + ":" + s.Reason.Split(' ')[0]).Select(g => g.Key + " " + g.Count())));

        var vault = new VaultLayout(_dir.Path);
        var fixture = TestVault.Over(vault);
        var executor = new LiveExecutor(vault, config);
        var nextTrade = 0;
        byte[]? savedState = null;
        for (var m = 0; m < Minutes; m++)
        {
            // the exporter is ahead: every trade up to 20 s into the next minute is on disk
            while (nextTrade < trades.Count && trades[nextTrade].Ts < minutes[m].CloseTs + 20_000)
            {
                fixture.AppendTrade(trades[nextTrade].Ts, trades[nextTrade].Px, trades[nextTrade].TradeId);
                nextTrade++;
            }

            var inputs = minutes[m];
            fixture.Minute(inputs.MinuteMs, inputs.Close, inputs.Vwap!.Value, inputs.Sigma!.Value, inputs.Adx, inputs.MaxMove5sBps);
            if (m % 7 != 6 && m != Minutes - 1)
            {
                continue;
            }

            if (m == 90)
            {
                savedState = File.ReadAllBytes(vault.ExecutorState(config.Id));
            }

            var pass = executor.RunOnce();
            Assert.Equal((0, 0L), (pass.SkippedLines, pass.LateTrades));
            if (m == 97)
            {
                File.WriteAllBytes(vault.ExecutorState(config.Id), savedState!); // crash: pass 97's state never written
                executor.RunOnce();
            }
        }

        Assert.Equal(run.Sink.Fills, LedgerReader.ReadFills(vault, config.Id));
        var signals = VaultLayout.ListDays(Path.GetDirectoryName(vault.SignalsDay(config.Id, "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3)))!)
            .SelectMany(d => File.ReadAllLines(vault.SignalsDay(config.Id, "okx", "BTC-USDT-SWAP", d))).ToList();
        Assert.Equal(Minutes, signals.Count);
        Assert.Equal(run.Sink.Signals.Count(s => s.Action != SignalAction.None),
            signals.Count(s => !s.Contains("\"action\":\"none\"", StringComparison.Ordinal)));
        Assert.Equal(run.Sink.Orders.Count, File.ReadAllLines(vault.LedgerOrders(config.Id)).Length);
    }
}
