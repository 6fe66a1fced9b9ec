using System.Globalization;
using Pipeline.Exporter.Backfill;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Backfill;

/// <summary><c>pipeline backfill</c> in-process against the loopback simulator: progress lines, exit codes, recalc.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    // Fixed days well in the past, whatever today is; the "today" case runs the command on a clock fixed at Today.
    private static readonly DateOnly Today = new(2025, 6, 10);
    private static readonly DateTimeOffset MarketStart = new(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);

    public void Dispose() => _dir.Dispose();

    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Backfill_CorruptDay_Exit1NamingTheDay_OthersFilledAndRecalculated()
    {
        var from = Today.AddDays(-4);
        var bad = from.AddDays(1);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 0.1, Seed = 5, Start = MarketStart, CorruptArchiveDays = [bad], PublishInterval = TimeSpan.FromSeconds(1),
        });
        var vault = _dir.File("vault");
        var (code, output, error) = await CliRunner.RunAsync("backfill", "--exchange", "binance", "--inst", "BTCUSDT",
            "--from", D(from), "--to", D(from.AddDays(2)), "--rest-url", sim.Endpoints.BinanceRest.ToString(),
            "--archive-url", sim.Endpoints.Archive.ToString(), "--vault", vault, "--log-level", "warning");

        Assert.Equal(1, code);
        Assert.Contains($"binance BTCUSDT {D(bad)}: BTCUSDT-aggTrades-{D(bad)}.zip: checksum mismatch", error, StringComparison.Ordinal);
        Assert.Contains($"[1/3] binance BTCUSDT {D(from)} done", output, StringComparison.Ordinal); // plain progress lines when redirected
        Assert.Contains("trades/s", output, StringComparison.Ordinal);
        Assert.Contains($"recalc binance BTCUSDT from {D(from)}", output, StringComparison.Ordinal);
        var layout = new VaultLayout(vault);
        Assert.True(File.Exists(layout.RawDayJsonl("binance", "BTCUSDT", from)));
        Assert.False(File.Exists(layout.RawDayJsonl("binance", "BTCUSDT", bad)));
        Assert.True(new FileInfo(layout.DerivedDay("bars_1m", "binance", "BTCUSDT", from)).Length > 0);
        Assert.True(File.Exists(BackfillService.StatePath(layout, "binance", "BTCUSDT")));

        // The rerun skips the two done days and tries the failed one again.
        var (again, output2, _) = await CliRunner.RunAsync("backfill", "--exchange", "binance", "--inst", "BTCUSDT",
            "--from", D(from), "--to", D(from.AddDays(2)), "--rest-url", sim.Endpoints.BinanceRest.ToString(),
            "--archive-url", sim.Endpoints.Archive.ToString(), "--vault", vault, "--log-level", "warning", "--no-recalc");
        Assert.Equal(1, again);
        Assert.Contains("2 skipped, 1 failed", output2, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("today", "today's live file")]
    [InlineData("bad-date", "--from: 'bad-date' is not a day")]
    public async Task Backfill_TodayOrBadDate_IsAUsageError(string from, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync(TestClock.At(MarketStart.AddHours(13)), "backfill", "--exchange", "okx", "--inst", "BTC-USDT-SWAP",
            "--from", from == "today" ? D(Today) : from, "--vault", _dir.File("vault"));
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
