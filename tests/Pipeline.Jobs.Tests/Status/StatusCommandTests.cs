using System.Text.Json;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Status;

public sealed class StatusCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_EmptyVault_SaysSoAndExitsZero()
    {
        var (code, output, _) = await CliRunner.RunAsync("status", "--vault", _dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("no raw trades yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_ListsInstrumentWithLines()
    {
        var vault = new VaultLayout(_dir.Path);
        var day = new DateOnly(2025, 3, 1);
        using (var appender = JsonlAppender.Open(vault.RawDayJsonl("binance", "BTCUSDT", day)))
        {
            for (var i = 0; i < 5; i++)
            {
                RawTradeWriter.Write(appender, new RawTrade
                {
                    Exchange = "binance", InstId = "BTCUSDT", TradeId = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Ts = TradeTime.DayStartMs(day) + i, Px = "1", Sz = "1", Side = "sell", CtVal = "1", CtMult = "1",
                    CtType = "linear", CtValCcy = "BTC", QtyBase = "1", RecvTs = TradeTime.DayStartMs(day) + i, Src = "ws",
                });
                appender.EndLine();
            }
        }

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var inst = Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray());
        Assert.Equal("BTCUSDT", inst.GetProperty("instId").GetString());
        Assert.Equal(5, inst.GetProperty("lines").GetInt64());
        Assert.Equal("2025-03-01T00:00:00.000Z", inst.GetProperty("firstTrade").GetString());
    }
}
