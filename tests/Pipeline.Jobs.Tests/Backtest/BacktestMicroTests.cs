using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Backtest;

/// <summary>
/// Backtest over a vault with quotes, book and trades (the MicroDay fixture): the micro stage runs in the scratch vault
/// as in calc, its minute values reach the strategy unchanged, and micro_mr decides the same minutes the same way in
/// backtest and in `pipeline signal` (one reader, one engine).
/// </summary>
public sealed class BacktestMicroTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 1);

    /// <summary>Short baselines so 150 minutes warm everything up.</summary>
    private static readonly CalcOptions Options = new() { RobustZMinutes = 10, VpinBucketVolume = 5m, VpinBuckets = 5, KyleWindow = 10 };

    /// <summary>Loose thresholds so the fixture both enters and blocks.</summary>
    private const string MicroYaml = """
        id: micro_test
        strategy: micro_mr
        exchange: okx
        instId: BTC-USDT-SWAP
        parameters:
          ofiZEntry: 1
          divergenceZEntry: 1
          vpinMax: 0.5
          takeProfitPct: 0.02
          stopLossPct: 0.02
        """;

    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public BacktestMicroTests()
    {
        _vault = new VaultLayout(_dir.File("vault"));
        var v = TestVault.Over(_vault);
        MicroDay.Write(v, Day, minutes: 150, seed: 11);
        v.Watermark(TradeTime.DayStartMs(Day.AddDays(1)) + 2_000, connection: "stopped");
    }

    [Fact]
    public void Backtest_MicroStrategy_SeesTheDerivedFilesValuesMinuteByMinute()
    {
        var seen = new List<MinuteInputs>();
        var registry = StrategyRegistry.CreateDefault();
        registry.Register("micro_probe", _ => new object(), _ => new Probe(seen), usesMicro: true);
        var config = registry.Parse("id: micro_probe\nexchange: okx\ninstId: BTC-USDT-SWAP\n", "(test)");

        using (var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, Day, Options))
        {
            backtester.Run(config);
        }

        // The independent side: calc over the source vault itself, its files read as plain JSON.
        CalculatorRunner.RunOnce(_vault, Options, TestVault.Exchange, TestVault.InstId, CancellationToken.None);
        var ofi = Derived("ofi");
        var price = Derived("microprice");
        var vpin = Derived("vpin");
        var depth = Derived("bookdepth");
        var kyle = Derived("kyle");

        Assert.Equal(ofi.Count, seen.Count);
        foreach (var minute in seen)
        {
            var key = minute.MinuteMs;
            var m = minute.Micro ?? throw new InvalidOperationException($"minute {key} has no micro values");
            Assert.Equal(Value(ofi[key], "ofi"), m.Ofi);
            Assert.Equal(Value(ofi[key], "ofiZ"), m.OfiZ);
            Assert.Equal(Value(price[key], "microPrice"), m.MicroPrice);
            Assert.Equal(Value(price[key], "imbalance"), m.Imbalance);
            Assert.Equal(Value(price[key], "divergenceBps"), m.DivergenceBps);
            Assert.Equal(Value(price[key], "divergenceZ"), m.DivergenceZ);
            Assert.Equal(Value(vpin[key], "vpin"), m.Vpin);
            Assert.Equal(Value(depth[key], "bidDepth"), m.BidDepth);
            Assert.Equal(Value(depth[key], "askDepth"), m.AskDepth);
            Assert.Equal(Value(kyle[key], "lambda"), minute.KyleLambda);
        }

        // Not a comparison of nulls: every indicator has warmed up on most minutes.
        Assert.True(seen.Count(s => s.Micro!.OfiZ is not null) > 100, "ofiZ mostly known");
        Assert.True(seen.Count(s => s.Micro!.DivergenceZ is not null) > 100, "divergenceZ mostly known");
        Assert.True(seen.Count(s => s.Micro!.Vpin is not null) > 100, "vpin mostly known");
        Assert.True(seen.Count(s => s.Micro!.BidDepth is not null) > 100, "depth mostly known");
        Assert.True(seen.Count(s => s.KyleLambda is not null) > 100, "λ mostly known");
    }

    [Fact]
    public void Backtest_MicroMr_SameDecisionsAndFillsAsPaper()
    {
        var config = StrategyRegistry.CreateDefault().Parse(MicroYaml, "(test)");

        // Paper: `pipeline calc` then `pipeline signal`, in-process.
        CalculatorRunner.RunOnce(_vault, Options, TestVault.Exchange, TestVault.InstId, CancellationToken.None);
        new LiveExecutor(_vault, config).RunToEnd();
        var paperSignals = File.ReadAllLines(_vault.SignalsDay(config.Id, TestVault.Exchange, TestVault.InstId, Day))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("minute").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("reason").GetString()!))
            .ToList();

        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, Day, Options);
        var run = backtester.Run(config, keepSignals: true);
        var backtestSignals = run.Sink.Signals.Select(s => (LedgerJson.MinuteIso(s.MinuteMs), s.ActionText, s.Reason)).ToList();

        Assert.Equal(paperSignals, backtestSignals);
        Assert.Equal(LedgerReader.ReadFills(_vault, config.Id), run.Sink.Fills);
        // The fixture exercises the rules, not only "none": entries, blocks by VPIN, horizon exits.
        Assert.Contains(run.Sink.Signals, s => s.ActionText is "long" or "short");
        Assert.Contains(run.Sink.Signals, s => s.Reason.Contains("blocked: vpin", StringComparison.Ordinal));
        Assert.Contains(run.Sink.Signals, s => s.Reason.StartsWith("no signal: ofi z", StringComparison.Ordinal));
        Assert.NotEmpty(run.Sink.Fills);
    }

    [Fact]
    public async Task BacktestCommand_MicroMrWithCalcSettings_WritesTheReportWithHorizonExits()
    {
        // Take-profit and stop far away: the one-minute horizon closes the positions.
        var yaml = MicroYaml.Replace("takeProfitPct: 0.02", "takeProfitPct: 0.5", StringComparison.Ordinal)
            .Replace("stopLossPct: 0.02", "stopLossPct: 0.5", StringComparison.Ordinal);
        var strategy = _dir.File("micro.yaml");
        File.WriteAllText(strategy, yaml);
        var report = _dir.File("report");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", strategy,
            "--from", "2026-03-01", "--to", "2026-03-01", "--report", report,
            "--z-window", "10", "--vpin-bucket", "5", "--vpin-buckets", "5", "--kyle-window", "10");

        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        Assert.Equal("1", json.RootElement.GetProperty("parameters").GetProperty("ofiZEntry").ToString());
        // The same run as in-process with the same settings: the command passed them to the micro stage.
        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, Day, Options);
        var run = backtester.Run(StrategyRegistry.CreateDefault().Parse(yaml, "(test)"));
        Assert.Equal(run.Sink.Fills.Count, json.RootElement.GetProperty("fills").GetArrayLength());
        Assert.Contains(run.Sink.Fills, f => f.Kind == "exit_time");
        Assert.Contains(json.RootElement.GetProperty("fills").EnumerateArray(), f => f.GetProperty("kind").GetString() == "exit_time");
    }

    [Fact]
    public void Backtest_MicroStrategyWithoutQuotesOrBook_FailsNamingWhatToRecord()
    {
        using var trades = new TempDir();
        var vault = new VaultLayout(trades.File("vault"));
        TestVault.Over(vault).AppendSimDays(Day, 1, fillsPerSecond: 0.1);
        var config = StrategyRegistry.CreateDefault().Parse(MicroYaml, "(test)");

        using var backtester = new Backtester(vault, TestVault.Exchange, TestVault.InstId, Day, Day);
        var ex = Assert.Throws<ArgumentException>(() => backtester.Run(config));
        Assert.Contains("micro_mr reads quotes and book indicators, but okx/BTC-USDT-SWAP has no quotes or book recorded between 2026-03-01 and 2026-03-01",
            ex.Message, StringComparison.Ordinal);
        Assert.Contains("pipeline export --data trades,quotes,book", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_MicroStrategyWithSomeDaysWithoutQuotes_RunsAndSaysWhichDays()
    {
        var day2 = Day.AddDays(1);
        TestVault.Over(_vault).Append(SyntheticTrades.Day(day2, 500, firstId: 9_000_000));
        var config = StrategyRegistry.CreateDefault().Parse(MicroYaml, "(test)");

        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, day2, Options);
        var run = backtester.Run(config, keepSignals: true);

        Assert.Equal(["1 of 2 days have no quotes or book recorded (2026-03-02): their minutes have no micro values and micro_mr does not enter on them"],
            run.Notes);
        Assert.Contains(run.Sink.Signals, s => s.Reason == "no micro data: no quotes or book recorded for this minute"
            && TradeTime.Day(s.MinuteMs) == day2);
    }

    [Fact]
    public void Backtest_MicroStrategy_LinksTheQuotesAndBookDaysInEveryFormTheyExist()
    {
        // A compacted copy next to the JSONL (compaction keeps both until it has verified the Parquet): both are linked,
        // so the micro stage chooses between them in the scratch vault exactly as it would over the vault itself.
        var quotes = _vault.MicroDayJsonl(Vault.Micro.MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day);
        File.WriteAllText(Path.ChangeExtension(quotes, ".parquet"), "stand-in");
        var scratch = _dir.File("scratch");
        var config = StrategyRegistry.CreateDefault().Parse(MicroYaml, "(test)");

        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, Day, Options, scratch);
        backtester.Run(config);

        var links = Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).LinkTarget is not null)
            .ToDictionary(f => Path.GetRelativePath(scratch, f).Replace('\\', '/'), f => new FileInfo(f).LinkTarget);
        Assert.Equal(quotes, links["adx14-micro/raw/okx/quotes_perps/BTC-USDT-SWAP/2026-03-01.jsonl"]);
        Assert.Equal(Path.ChangeExtension(quotes, ".parquet"), links["adx14-micro/raw/okx/quotes_perps/BTC-USDT-SWAP/2026-03-01.parquet"]);
        Assert.Equal(_vault.MicroDayJsonl(Vault.Micro.MicroKind.Book, TestVault.Exchange, TestVault.InstId, Day),
            links["adx14-micro/raw/okx/book_perps/BTC-USDT-SWAP/2026-03-01.jsonl"]);
        Assert.Equal(4, links.Count); // trades, quotes ×2, book
    }

    [Fact]
    public void Backtest_StrategyWithoutMicro_LinksNoQuotesOrBook()
    {
        var scratch = _dir.File("scratch");
        var config = StrategyRegistry.CreateDefault().Parse("id: vwap_mean_reversion\nexchange: okx\ninstId: BTC-USDT-SWAP\n", "(test)");

        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day, Day, Options, scratch);
        backtester.Run(config);

        Assert.Single(Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories), f => new FileInfo(f).LinkTarget is not null);
        Assert.False(Directory.Exists(Path.Combine(scratch, "adx14", "derived", "ofi")));
    }

    private Dictionary<long, JsonElement> Derived(string calc) =>
        File.ReadAllLines(_vault.DerivedDay(calc, TestVault.Exchange, TestVault.InstId, Day))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => DateTimeOffset.Parse(e.GetProperty("minute").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());

    private static decimal? Value(JsonElement line, string field) =>
        line.GetProperty(field) is { ValueKind: JsonValueKind.String } s ? decimal.Parse(s.GetString()!, CultureInfo.InvariantCulture) : null;

    public void Dispose() => _dir.Dispose();

    /// <summary>Records what it is given; never trades.</summary>
    private sealed class Probe(List<MinuteInputs> seen) : IStrategy
    {
        public string Name => "micro_probe";

        public StrategySignal Evaluate(MinuteInputs minute)
        {
            seen.Add(minute);
            return new StrategySignal(SignalAction.None, "probe", null, null);
        }

        public JsonElement? SaveState() => null;

        public void RestoreState(JsonElement? state)
        {
        }
    }
}
