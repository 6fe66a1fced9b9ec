using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Recording;

public sealed class QuarantineTests
{
    [Fact]
    public void Add_LongGarbageFrame_WritesOneJsonLineWithReasonAndTruncatedRaw()
    {
        using var dir = new TempDir();
        var vault = new VaultLayout(dir.Path);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        using (var quarantine = new Quarantine(vault, "okx", time))
        {
            quarantine.Add("invalid JSON: x", System.Text.Encoding.UTF8.GetBytes("{\"a\":\"" + new string('z', 10_000)), "BTC-USDT-SWAP");
            Assert.Equal(1, quarantine.Count);
        }

        var path = vault.QuarantineDay("okx", new DateOnly(2026, 3, 2)); // the day of the clock, not of the frame
        var line = Assert.Single(File.ReadAllLines(path));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("okx", root.GetProperty("exchange").GetString());
        Assert.Equal("BTC-USDT-SWAP", root.GetProperty("instId").GetString());
        Assert.Equal("invalid JSON: x", root.GetProperty("reason").GetString());
        Assert.Equal(Quarantine.MaxRawChars, root.GetProperty("raw").GetString()!.Length);
        Assert.Equal(10_006, root.GetProperty("rawBytes").GetInt64());
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), root.GetProperty("ts").GetInt64());
    }
}
