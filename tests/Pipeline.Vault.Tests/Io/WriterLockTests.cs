using System.Diagnostics;
using System.Globalization;
using Pipeline.Testing;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;

namespace Pipeline.Vault.Tests.Io;

public sealed class WriterLockTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public WriterLockTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Acquire_SecondWriterInTheSameProcess_IsRefusedNamingTheHoldersPid()
    {
        using var first = WriterLock.Acquire(_vault, "okx", "BTC-USDT-SWAP", "exporter");
        var refused = Assert.Throws<WriterLockedException>(() => WriterLock.Acquire(_vault, "okx", "BTC-USDT-SWAP", "backfill"));
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"pid {pid} (exporter)", refused.Holder);
        Assert.Contains($"pid {pid}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(_dir.File("state", "locks", "okx", "BTC-USDT-SWAP.lock"), first.Path);

        // Another instrument is another file set.
        using var other = WriterLock.Acquire(_vault, "okx", "ETH-USDT-SWAP", "exporter");
    }

    [Fact]
    public void Acquire_AfterTheHolderDisposed_Succeeds()
    {
        WriterLock.Acquire(_vault, "binance", "BTCUSDT", "exporter").Dispose();
        using var again = WriterLock.Acquire(_vault, "binance", "BTCUSDT", "exporter");
        Assert.True(File.Exists(again.Path));
    }

    [LinuxFact("an flock held by another process, released when it is killed")]
    public async Task Acquire_HolderProcessSigkilled_LockIsTakenOver()
    {
        var path = WriterLock.LockPath(_vault, "okx", "BTC-USDT-SWAP");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Another process takes the same flock(2) exclusive lock .NET takes for FileShare.None. One process
        // holds the descriptor (bash execs into sleep), so its exit is the moment the kernel drops the lock;
        // `flock PATH sleep` would leave a forked sleep holding it a moment after the killed flock was reaped.
        using var holder = Process.Start(new ProcessStartInfo("bash", ["-c", "exec 9>\"$0\" && flock -x 9 && exec sleep 600", path]) { UseShellExecute = false })!;
        try
        {
            await Waits.UntilAsync(() =>
            {
                try
                {
                    WriterLock.Acquire(_vault, "okx", "BTC-USDT-SWAP", "exporter").Dispose();
                    return false;
                }
                catch (WriterLockedException)
                {
                    return true;
                }
            }, TimeSpan.FromSeconds(20), "the child process to hold the lock");

            holder.Kill(); // SIGKILL: no cleanup, the lock file stays
            holder.WaitForExit();
            Assert.True(File.Exists(path));
            using var taken = WriterLock.Acquire(_vault, "okx", "BTC-USDT-SWAP", "exporter");
            Assert.Contains(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllText(taken.OwnerPath), StringComparison.Ordinal);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }
}
