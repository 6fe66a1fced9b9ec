using System.Globalization;
using Pipeline.Exporter.Simulator;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Export;

/// <summary>
/// One writer per instrument, with the real binary: a second exporter (or a backfill) of an instrument that
/// a running exporter records exits 1 naming the holder's pid, and the first one keeps recording.
/// </summary>
public sealed class ExportWriterLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_SecondExporterOrBackfillOnTheSameInstrument_ExitsOneNamingTheHoldersPid()
    {
        var vault = new VaultLayout(_dir.File("vault"));
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"], Rate = 50 });
        using var first = Export(sim, vault, "BTC-USDT-SWAP");
        var owner = Path.ChangeExtension(WriterLock.LockPath(vault, "okx", "BTC-USDT-SWAP"), ".owner");
        var pid = first.Id.ToString(CultureInfo.InvariantCulture);
        await WaitAsync("the first exporter to hold the lock", () => File.Exists(owner) && File.ReadAllText(owner).StartsWith(pid + " ", StringComparison.Ordinal), first);

        using (var second = Export(sim, vault, "ETH-USDT-SWAP,BTC-USDT-SWAP"))
        {
            Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            var error = Assert.Single(second.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains($"okx/BTC-USDT-SWAP is already being written by pid {pid} (exporter)", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal); // no stack trace
        }

        var yesterday = TradeTime.Day(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var backfill = PipelineProcess.Start("backfill", "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--from", yesterday,
            "--source", "rest", "--rest-url", SimulatorEndpoints.Text(sim.Endpoints.OkxRest), "--vault", vault.Root))
        {
            Assert.Equal(1, await backfill.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"pid {pid}", backfill.Stderr, StringComparison.Ordinal);
        }

        Assert.False(first.HasExited); // the holder was not disturbed
        Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    private static PipelineProcess Export(SimulatorHost sim, VaultLayout vault, string instIds) => PipelineProcess.Start(
        "export", "--exchange", "okx", "--inst", instIds, "--vault", vault.Root, "--log-level", "warning",
        "--okx-ws-public", sim.Endpoints.OkxWsPublic.ToString(), "--okx-ws-business", sim.Endpoints.OkxWsBusiness.ToString(),
        "--okx-rest", SimulatorEndpoints.Text(sim.Endpoints.OkxRest), "--rest-interval", "100");

    private static async Task WaitAsync(string what, Func<bool> condition, PipelineProcess process)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"the process ended while waiting for {what}: {process.Stderr}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
