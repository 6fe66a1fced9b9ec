using Pipeline.Vault.Layout;
using Pipeline.Vault.Status;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.Status;

/// <summary>Status only reads the vault: its scan cache is best-effort and never a reason to fail.</summary>
public sealed class StatusCacheBestEffortTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly DateOnly _day = new(2025, 1, 1);

    public StatusCacheBestEffortTests()
    {
        _vault = new VaultLayout(_dir.Path);
        var t0 = TradeTime.DayStartMs(_day);
        using var appender = Pipeline.Vault.Jsonl.JsonlAppender.Open(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", _day));
        foreach (var trade in new[] { VaultStatusReaderTests.Trade(t0 + 1000, 1), VaultStatusReaderTests.Trade(t0 + 2000, 2) })
        {
            RawTradeWriter.Write(appender, trade);
            appender.EndLine();
        }
    }

    public void Dispose()
    {
        SetWritable(_dir.Path, writable: true);
        _dir.Dispose();
    }

    [Fact]
    public void ReadInstrument_CacheDirectoryBlockedByFile_ReportsAndWritesNothing()
    {
        // Works for root too: a file where the cache directory should be makes every cache write fail.
        Directory.CreateDirectory(_vault.StateDir);
        File.WriteAllText(Path.Combine(_vault.StateDir, "status"), "in the way");
        var before = Snapshot();

        var status = new VaultStatusReader(_vault).ReadInstrument("okx", "BTC-USDT-SWAP");

        Assert.Equal(2, status.Lines);
        Assert.Equal(before, Snapshot());
    }

    [NeedsFileFact("/dev/full")]
    public void ReadInstrument_DiskFullOnCacheWrite_ReportsAndLeavesNoTempFile()
    {
        // /dev/full answers every write with ENOSPC: the cache's temp file is linked to it.
        var reader = new VaultStatusReader(_vault);
        var cache = reader.CachePath("okx", "BTC-USDT-SWAP");
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        File.CreateSymbolicLink(cache + ".tmp", "/dev/full");

        var status = reader.ReadInstrument("okx", "BTC-USDT-SWAP");

        Assert.Equal(2, status.Lines);
        Assert.False(File.Exists(cache), "no cache can have been written to a full disk");
        Assert.False(Path.Exists(cache + ".tmp"), "the failed temp file is removed");
    }

    [NonRootUnixFact]
    public void ReadInstrument_ReadOnlyVault_Reports()
    {
        var before = Snapshot();
        SetWritable(_dir.Path, writable: false);

        var status = new VaultStatusReader(_vault).ReadInstrument("okx", "BTC-USDT-SWAP");

        Assert.Equal(2, status.Lines);
        Assert.Equal(_day, status.FirstDay);
        SetWritable(_dir.Path, writable: true);
        Assert.Equal(before, Snapshot());
    }

    private string Snapshot() => string.Join('\n',
        Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length}" : p + "/"));

    internal static void SetWritable(string root, bool writable)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(root))
        {
            return;
        }

        var dirMode = writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            : UnixFileMode.UserRead | UnixFileMode.UserExecute;
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(dir, dirMode);
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead);
        }
    }
}
