using System.Text.Json;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>`status` only reads: a vault where nothing can be written (read-only, full disk) still gets a report, exit 0.</summary>
public sealed class StatusReadOnlyVaultTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public StatusReadOnlyVaultTests()
    {
        _vault = new VaultLayout(_dir.Path);
        var raw = Path.Combine(_dir.Path, "raw", "binance", "trades_perps", "BTCUSDT");
        Directory.CreateDirectory(raw);
        var lines = Enumerable.Range(0, 4).Select(i =>
            $"{{\"exchange\":\"binance\",\"instId\":\"BTCUSDT\",\"tradeId\":\"{100 + i}\",\"ts\":{1740787200001 + i},\"px\":\"1\",\"sz\":\"1\",\"side\":\"sell\"," +
            $"\"ctVal\":\"1\",\"ctMult\":\"1\",\"ctType\":\"linear\",\"ctValCcy\":\"BTC\",\"qtyBase\":\"1\",\"recvTs\":{1740787200001 + i},\"src\":\"ws\"}}\n");
        File.WriteAllText(Path.Combine(raw, "2025-03-01.jsonl"), string.Concat(lines));
    }

    public void Dispose()
    {
        SetMode(writable: true);
        _dir.Dispose();
    }

    [Fact]
    public async Task Status_CacheCannotBeWritten_ExitsZeroWithReport()
    {
        // Works for root too (where chmod stops nothing): a file takes the cache directory's place.
        Directory.CreateDirectory(_vault.StateDir);
        await File.WriteAllTextAsync(Path.Combine(_vault.StateDir, "status"), "in the way");

        await AssertReportsFourLinesAsync();
    }

    [NonRootUnixFact]
    public async Task Status_ReadOnlyVault_ExitsZeroWithReport()
    {
        SetMode(writable: false);

        await AssertReportsFourLinesAsync();
    }

    private async Task AssertReportsFourLinesAsync()
    {
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray()).GetProperty("lines").GetInt64());
    }

    private void SetMode(bool writable)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(_dir.Path, "*", SearchOption.AllDirectories).Append(_dir.Path))
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute | (writable ? UnixFileMode.UserWrite : 0));
        }
    }
}
