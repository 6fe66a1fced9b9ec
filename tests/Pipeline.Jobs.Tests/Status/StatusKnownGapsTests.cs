using System.Text.Json;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>
/// Status reports the exporter's known gaps (holes it could not prove filled) and never shows such an
/// instrument as healthy.
/// </summary>
public sealed class StatusKnownGapsTests : IDisposable
{
    private static readonly DateOnly Day = new(2025, 3, 1);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public StatusKnownGapsTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_KnownGapInExporterState_JsonListsGapAndNotHealthy()
    {
        AppendTrades("BTCUSDT", 3);
        AppendTrades("ETHUSDT", 3);
        var t0 = TradeTime.DayStartMs(Day);
        WriteState("BTCUSDT", [new KnownGap { AfterTradeId = "101", BeforeTradeId = "150", FromTs = t0 + 1, ToTs = t0 + 4001, Reason = "REST fill incomplete", DetectedAt = t0 + 5000 }]);
        WriteState("ETHUSDT", []);

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var instruments = json.RootElement.GetProperty("instruments").EnumerateArray().ToDictionary(i => i.GetProperty("instId").GetString()!);
        var btc = instruments["BTCUSDT"];
        Assert.False(btc.GetProperty("healthy").GetBoolean());
        var gap = Assert.Single(btc.GetProperty("knownGaps").EnumerateArray());
        Assert.Equal("101", gap.GetProperty("afterTradeId").GetString());
        Assert.Equal("150", gap.GetProperty("beforeTradeId").GetString());
        Assert.Equal("REST fill incomplete", gap.GetProperty("reason").GetString());
        Assert.Equal("2025-03-01T00:00:00.001Z", gap.GetProperty("from").GetString());
        Assert.True(instruments["ETHUSDT"].GetProperty("healthy").GetBoolean());
        Assert.Empty(instruments["ETHUSDT"].GetProperty("knownGaps").EnumerateArray());
    }

    [Fact]
    public async Task Status_KnownGapInExporterState_TableNamesGapNeverOk()
    {
        AppendTrades("BTCUSDT", 3);
        var t0 = TradeTime.DayStartMs(Day);
        WriteState("BTCUSDT", [
            new KnownGap { FromTs = t0 + 1, ToTs = t0 + 4001, Reason = "outage before first trade" },
            new KnownGap { AfterTradeId = "101", BeforeTradeId = "150", FromTs = t0 + 9000, ToTs = t0 + 9500, Reason = "REST fill incomplete" },
        ]);

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path);

        Assert.True(code == 0, error);
        var row = Assert.Single(output.Split('\n'), l => l.Contains("BTCUSDT", StringComparison.Ordinal));
        Assert.Contains("2 KNOWN GAPS", row, StringComparison.Ordinal);
        Assert.DoesNotContain(" ok ", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_GapBeforeFirstTradeNoRawFile_InstrumentStillListedUnhealthy()
    {
        // An outage before an instrument's first recorded trade leaves state (with the gap) but no raw day.
        var t0 = TradeTime.DayStartMs(Day);
        WriteState("SOLUSDT", [new KnownGap { FromTs = t0, ToTs = t0 + 4000, Reason = "outage before first trade" }]);

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var sol = Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray());
        Assert.Equal("SOLUSDT", sol.GetProperty("instId").GetString());
        Assert.False(sol.GetProperty("healthy").GetBoolean());
        Assert.Single(sol.GetProperty("knownGaps").EnumerateArray());
    }

    [Fact]
    public async Task Status_CorruptExporterState_ShownUnreadableNotHealthy()
    {
        AppendTrades("BTCUSDT", 2);
        var path = _vault.ExporterState("binance", "BTCUSDT");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{ not json");

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var btc = Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray());
        Assert.False(btc.GetProperty("healthy").GetBoolean());
        Assert.Contains("corrupt", btc.GetProperty("exporterStateError").GetString(), StringComparison.Ordinal);
    }

    private void WriteState(string instId, IReadOnlyList<KnownGap> gaps) =>
        new StateFile<ExporterState>(_vault.ExporterState("binance", instId)).Write(new ExporterState
        {
            Exchange = "binance", InstId = instId, LastTradeId = "200", WatermarkTs = TradeTime.DayStartMs(Day) + 60_000,
            Connection = "connected", KnownGaps = gaps,
        });

    private void AppendTrades(string instId, int count)
    {
        using var appender = JsonlAppender.Open(_vault.RawDayJsonl("binance", instId, Day));
        for (var i = 0; i < count; i++)
        {
            RawTradeWriter.Write(appender, new RawTrade
            {
                Exchange = "binance", InstId = instId, TradeId = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ts = TradeTime.DayStartMs(Day) + i, Px = "1", Sz = "1", Side = "sell", CtVal = "1", CtMult = "1",
                CtType = "linear", CtValCcy = "BTC", QtyBase = "1", RecvTs = TradeTime.DayStartMs(Day) + i, Src = "ws",
            });
            appender.EndLine();
        }
    }
}
