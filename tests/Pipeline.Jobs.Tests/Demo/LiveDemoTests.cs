using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Jobs.Demo;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Simulator.Trading;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Demo;

/// <summary>
/// <c>demo --live</c> over 45 minutes of market with a quick strategy (session VWAP, narrow bands, 0.05 % exits) so it
/// trades within minutes: every fill the summary counts is one the simulated exchange made for the account (its truth
/// file), at the exchange's price, quantity and fee, and the paper side trades the same vault.
/// </summary>
public sealed partial class LiveDemoTests(LiveDemoTests.OneRun run) : IClassFixture<LiveDemoTests.OneRun>
{
    [Fact]
    public void LiveDemo_Summary_FillsAndFeesAreTheExchangesOwn()
    {
        var summary = run.Summary;
        var truth = run.TruthFills();
        Assert.True(truth.Count >= 2, $"the quick strategy should trade live within 45 minutes; the exchange made {truth.Count} fills\n{run.Output}");

        Assert.Equal(truth.Count, summary.Truth.Fills);
        Assert.Equal(truth.Count, summary.Live.Sum(s => s.Fills));
        Assert.Equal(truth.Sum(t => t.Fee), summary.Truth.Fees);
        // The venues report each fee as the exchange's API prints it (OKX: 8 decimals), so the ledger's sum may lie a
        // few 1e-9 below the exchange's own; no more than half a unit of the 8th decimal per fill.
        Assert.InRange(summary.Live.Sum(s => s.FeesPaid) - truth.Sum(t => t.Fee), -0.000000005m * truth.Count, 0.000000005m * truth.Count);
        Assert.True(summary.Live.Sum(s => s.OrdersSent) >= summary.Live.Sum(s => s.RoundTrips) * 2);
    }

    [Fact]
    public void LiveDemo_LedgerFills_AreTheExchangesFillsOneForOne()
    {
        var truth = run.TruthFills().ToDictionary(t => t.TradeId.ToString(CultureInfo.InvariantCulture));
        var ledger = run.Summary.Live.SelectMany(s => LedgerReader.ReadFills(run.Vault, s.Strategy)).ToList();

        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), ledger.Select(f => f.TradeId!).Order(StringComparer.Ordinal));
        foreach (var fill in ledger)
        {
            var t = truth[fill.TradeId!];
            Assert.Equal((t.Px, t.Qty, t.Side, t.Liquidity), (fill.Px, fill.Qty, fill.Side, fill.Liquidity));
            Assert.Equal(Math.Round(t.Fee, 8), Math.Round(fill.Fee, 8));
        }
    }

    [Fact]
    public void LiveDemo_PaperSide_TradesTheSameVaultUnderItsOwnIds()
    {
        Assert.Equal(["vwap_mr_okx", "vwap_mr_binance"], run.Summary.Paper.Select(s => s.Strategy));
        Assert.Equal(["vwap_live_okx", "vwap_live_binance"], run.Summary.Live.Select(s => s.Strategy));
        Assert.True(run.Summary.Paper.Sum(s => s.Signals) > 0, run.Output);
        Assert.True(run.Summary.Paper.Sum(s => s.OrdersSent) > 0, run.Output);
        Assert.True(run.Summary.Minutes >= 2 * 45, run.Output);
    }

    [Fact]
    public void LiveDemo_PrintedSummary_LiveAndPaperSideBySideWithoutKeyMaterial()
    {
        Assert.Contains("pipeline demo --live", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{run.Summary.Truth.Fills} fills, all fees {run.Summary.Truth.Fees.ToString("0.00", CultureInfo.InvariantCulture)} USDT", run.Output,
            StringComparison.Ordinal);
        Assert.Contains("key ****", run.Output, StringComparison.Ordinal);
        // The generated key and secret are 64 hex characters; neither may reach the output.
        Assert.DoesNotMatch(HexKey(), run.Output);
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex HexKey();

    /// <summary>One live demo for every test of the class.</summary>
    public sealed class OneRun : IAsyncLifetime, IDisposable
    {
        private const string Quick = """
            parameters:
              bandWindow: session
              bandMultiplier: 0.3
              adxMax: 100
              adxNoTrade: 100
              haltMoveBps: 1000
              takeProfitPct: 0.05
              stopLossPct: 0.05
              entryTtl: 3m
              maxTradesPerDay: 100
              maxDailyLossPct: 100
            """;

        private readonly TempDir _dir = new();

        public LiveDemoSummary Summary { get; private set; } = null!;
        public VaultLayout Vault { get; private set; } = null!;
        public string Output { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Vault = DemoVault.Prepare(_dir.File("vault"));
            using var output = new StringWriter();
            Summary = await new LiveDemoRun(Vault, TimeSpan.FromMinutes(45), 7, output, parameters: Quick, truthDir: _dir.File("truth"))
                .RunAsync(CancellationToken.None);
            Summary.Print(output);
            Output = output.ToString();
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _dir.Dispose();

        /// <summary>
        /// The account's fills as the simulator's exchange recorded them (trading/demo.jsonl, event "trade"); an OKX
        /// quantity is in contracts there, converted to the base coin with the instrument's ctVal as the ledger holds it.
        /// </summary>
        public List<(long TradeId, decimal Px, decimal Qty, decimal Fee, string Side, string Liquidity)> TruthFills()
        {
            var path = PrivateTruthLog.PathOf(_dir.File("truth"), LiveDemoRun.Account);
            return File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("event").GetString() == "trade")
                .Select(e => (e.GetProperty("tradeId").GetInt64(), Dec(e, "fillPx"), Dec(e, "fillQty") * CtVal(e.GetProperty("instId").GetString()!),
                    Dec(e, "fee"), e.GetProperty("side").GetString()!,
                    e.GetProperty("liquidity").GetString()!))
                .ToList();
        }

        private static decimal CtVal(string instId)
        {
            var instrument = Pipeline.Simulator.Market.SimInstruments.Find(instId);
            return instrument.Exchange == "okx" ? decimal.Parse(instrument.CtVal, CultureInfo.InvariantCulture) : 1m;
        }

        private static decimal Dec(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
    }
}
