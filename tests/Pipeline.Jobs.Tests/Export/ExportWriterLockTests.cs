using System.Globalization;
using Pipeline.Simulator;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;

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
        await first.WaitWhileRunningAsync(() => File.Exists(owner) && File.ReadAllText(owner).StartsWith(pid + " ", StringComparison.Ordinal), "the first exporter to hold the lock");

        using (var second = Export(sim, vault, "ETH-USDT-SWAP,BTC-USDT-SWAP"))
        {
            Assert.True(await second.WaitForExitAsync(PipelineProcess.DefaultBound) == 1, second.Describe());
            var error = Assert.Single(second.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains($"okx/BTC-USDT-SWAP is already being written by pid {pid} (exporter)", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal); // no stack trace
        }

        // A fixed past day: the backfill must refuse on the lock, whatever day it is asked for.
        using (var backfill = PipelineProcess.Start("backfill", "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--from", "2025-06-01",
            "--source", "rest", "--rest-url", SimulatorEndpoints.Text(sim.Endpoints.OkxRest), "--vault", vault.Root))
        {
            Assert.True(await backfill.WaitForExitAsync(PipelineProcess.DefaultBound) == 1, backfill.Describe());
            Assert.Contains($"pid {pid}", backfill.Stderr, StringComparison.Ordinal);
        }

        Assert.False(first.HasExited, first.Describe()); // the holder was not disturbed
        Assert.True(await first.TerminateAsync(PipelineProcess.DefaultBound) == 0, first.Describe());
    }

    private static PipelineProcess Export(SimulatorHost sim, VaultLayout vault, string instIds) => PipelineProcess.Start(
        "export", "--exchange", "okx", "--inst", instIds, "--vault", vault.Root, "--log-level", "warning",
        "--okx-ws-public", sim.Endpoints.OkxWsPublic.ToString(), "--okx-ws-business", sim.Endpoints.OkxWsBusiness.ToString(),
        "--okx-rest", SimulatorEndpoints.Text(sim.Endpoints.OkxRest), "--rest-interval", "100");
}
