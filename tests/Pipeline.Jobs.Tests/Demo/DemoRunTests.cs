using System.Text.Json;
using Pipeline.Jobs.Demo;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Demo;

/// <summary>
/// The demo is deterministic from its first minute: two runs with the same seed print the same summary and leave the
/// same raw trades, minute outputs, signals and ledger, byte for byte (they once recorded 382,141 and 378,792 trades,
/// and the first simulated minutes never reached the vault: the market ran on the wall clock before the exporters
/// had connected).
/// </summary>
public sealed class DemoRunTests(DemoRunTests.TwoRuns runs) : IClassFixture<DemoRunTests.TwoRuns>
{
    private const ulong Seed = 11;

    [Fact]
    public void Demo_SameSeedTwice_PrintsIdenticalSummaries()
    {
        Assert.True(runs.First.Code == 0, runs.First.Output + runs.First.Error);
        Assert.True(runs.Second.Code == 0, runs.Second.Output + runs.Second.Error);
        var first = Summary(runs.First.Output, runs.FirstVault);
        Assert.Contains("trades recorded", first);
        Assert.Contains("1 h from 2026-01-05 00:00Z, seed 11", first);
        Assert.Equal(first, Summary(runs.Second.Output, runs.SecondVault));
    }

    [Fact]
    public void Demo_SameSeedTwice_RecordsIdenticalTradesBarsSignalsAndLedger()
    {
        foreach (var folder in new[] { "raw", "derived", "ledger" })
        {
            var first = Files(Path.Combine(runs.FirstVault, folder));
            var second = Files(Path.Combine(runs.SecondVault, folder));
            Assert.Equal(first.Keys.Order(), second.Keys.Order());
            foreach (var (name, bytes) in first)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{folder}/{name} differs between the two runs");
            }
        }

        var layout = new VaultLayout(runs.FirstVault);
        Assert.All(DemoRun.Instruments, i => Assert.True(File.Exists(layout.RawDayJsonl(i.Exchange, i.InstId, Day)), $"no raw trades for {i.InstId}"));
    }

    [Fact]
    public void Demo_FirstSimulatedMinute_EveryTradeOfTheMarketRecordedAndItsBarComputed()
    {
        var layout = new VaultLayout(runs.FirstVault);
        var from = DemoRun.Start.ToUnixTimeMilliseconds();
        var to = from + 60_000;
        foreach (var (exchange, instId) in DemoRun.Instruments)
        {
            // The ground truth: the simulator's market itself, read straight from its generator.
            var expected = Market(instId, from, to);
            Assert.True(expected.Count > 100, $"{instId}: a busy first minute expected, the generator has {expected.Count} trades");

            var recorded = File.ReadLines(layout.RawDayJsonl(exchange, instId, Day)).Select(Trade).Where(t => t.Ts >= from && t.Ts < to).ToList();
            Assert.Equal(expected, recorded);

            using var bar = JsonDocument.Parse(File.ReadLines(layout.DerivedDay("bars_1m", exchange, instId, Day)).First());
            Assert.Equal("2026-01-05T00:00:00Z", bar.RootElement.GetProperty("minute").GetString());
            Assert.Equal(expected.Count, bar.RootElement.GetProperty("trades").GetInt64());
        }
    }

    private static readonly DateOnly Day = DateOnly.FromDateTime(DemoRun.Start.UtcDateTime);

    /// <summary>The printed table and the commands after it, with the vault's path neutralised.</summary>
    private static string Summary(string output, string vault)
    {
        var at = output.IndexOf("pipeline demo", StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        return output[at..].Replace(vault, "<vault>", StringComparison.Ordinal);
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    private static List<TradeFields> Market(string instId, long from, long to)
    {
        var instrument = SimInstruments.Find(instId);
        var market = new MarketGenerator(instrument, Seed, DemoRun.FillsPerSecond);
        var trades = new List<TradeFields>();
        for (var b = MarketGenerator.BlockOf(from); b <= MarketGenerator.BlockOf(to - 1); b++)
        {
            var block = market.Block(b);
            var raw = instrument.IsBinance
                ? block.Prints.ToArray().Select(p => TruthWriter.ToRawTrade(instrument, p))
                : block.Fills.ToArray().Select(f => TruthWriter.ToRawTrade(instrument, f));
            trades.AddRange(raw.Where(t => t.Ts >= from && t.Ts < to).Select(t => new TradeFields(t.TradeId, t.Ts, t.Px, t.Sz, t.Side)));
        }

        return trades;
    }

    private static TradeFields Trade(string line)
    {
        using var json = JsonDocument.Parse(line);
        var t = json.RootElement;
        return new TradeFields(t.GetProperty("tradeId").GetString()!, t.GetProperty("ts").GetInt64(), t.GetProperty("px").GetString()!,
            t.GetProperty("sz").GetString()!, t.GetProperty("side").GetString()!);
    }

    private sealed record TradeFields(string TradeId, long Ts, string Px, string Sz, string Side);

    /// <summary>Two one-hour demos with the same seed (the smallest demo), shared by the tests of this class.</summary>
    public sealed class TwoRuns : IAsyncLifetime, IDisposable
    {
        private readonly TempDir _dir = new();

        // Same length, so the table's column widths match once the path is neutralised.
        public string FirstVault => _dir.File("run-a");

        public string SecondVault => _dir.File("run-b");

        public (int Code, string Output, string Error) First { get; private set; }

        public (int Code, string Output, string Error) Second { get; private set; }

        public async Task InitializeAsync()
        {
            First = await CliRunner.RunAsync("demo", "--hours", "1", "--seed", "11", "--vault", FirstVault);
            Second = await CliRunner.RunAsync("demo", "--hours", "1", "--seed", "11", "--vault", SecondVault);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _dir.Dispose();
    }
}
