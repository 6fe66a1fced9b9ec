using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Status;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.Status;

public sealed class VaultStatusReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public VaultStatusReaderTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    internal static RawTrade Trade(long ts, long id) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Ts = ts, Px = "65000.1", Sz = "1", Side = "buy", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC",
        QtyBase = "0.01", RecvTs = ts + 5, Src = "ws",
    };

    private void Append(DateOnly day, params RawTrade[] trades) =>
        TestVault.WriteTradeFile(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day), trades);

    [Fact]
    public void ReadInstrument_TruncatedParquetDay_ReportedWithPathOthersCounted()
    {
        var d1 = new DateOnly(2025, 1, 1);
        var d2 = new DateOnly(2025, 1, 2);
        var t0 = TradeTime.DayStartMs(d1);
        var t1 = TradeTime.DayStartMs(d2);
        Append(d1, Trade(t0 + 1000, 1), Trade(t0 + 2000, 2));
        Append(d2, Trade(t1 + 1000, 3));
        var bad = _vault.RawDayParquet("okx", "BTC-USDT-SWAP", d1);
        using (var connection = Pipeline.Vault.DuckDb.DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"COPY ({Pipeline.Vault.DuckDb.VaultViews.RawTradesSelect(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", d1))}) TO '{bad}' (FORMAT parquet)");
        }

        File.Delete(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", d1));
        using (var stream = new FileStream(bad, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        var status = new VaultStatusReader(_vault).ReadInstrument("okx", "BTC-USDT-SWAP");

        Assert.Equal(bad, Assert.Single(status.DamagedFiles).Path);
        Assert.Equal(1, status.Lines); // day 2 still counted
        Assert.Equal(t1 + 1000, status.LastTradeTs);
    }

    [Fact]
    public void ReadInstrument_DaysStateAndDerivedTail_Reported()
    {
        var d1 = new DateOnly(2025, 1, 1);
        var d2 = new DateOnly(2025, 1, 2);
        var t0 = TradeTime.DayStartMs(d1);
        var t1 = TradeTime.DayStartMs(d2);
        Append(d1, Trade(t0 + 1000, 1), Trade(t0 + 500, 2));
        Append(d2, Trade(t1 + 90_000, 3));
        new StateFile<ExporterState>(_vault.ExporterState("okx", "BTC-USDT-SWAP")).Write(new ExporterState
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", LastTradeId = "3", WatermarkTs = t1 + 240_000, Connection = "connected",
        });
        var derived = _vault.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", d2);
        Directory.CreateDirectory(Path.GetDirectoryName(derived)!);
        File.WriteAllText(derived, "{\"minute\":\"2025-01-02T00:00:00Z\"}\n{\"minute\":\"2025-01-02T00:01:00Z\"}\n");

        var status = new VaultStatusReader(_vault).ReadInstrument("okx", "BTC-USDT-SWAP");

        Assert.Equal(2, status.Days);
        Assert.Equal(3, status.Lines);
        Assert.Equal(t0 + 500, status.FirstTradeTs);
        Assert.Equal(t1 + 90_000, status.LastTradeTs);
        Assert.Equal("connected", status.Exporter?.Connection);
        var bars = Assert.Single(status.Calculators);
        Assert.Equal("bars_1m", bars.Calc);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 0, 1, 0, TimeSpan.Zero), bars.LastMinute);
        Assert.Equal(TimeSpan.FromMinutes(2), bars.Lag);
    }

    [Fact]
    public void ReadInstrument_FileGrowsAfterCache_CountsOnlyNewLinesCorrectly()
    {
        var day = new DateOnly(2025, 1, 1);
        var t0 = TradeTime.DayStartMs(day);
        Append(day, Trade(t0 + 1, 1));
        var reader = new VaultStatusReader(_vault);
        Assert.Equal(1, reader.ReadInstrument("okx", "BTC-USDT-SWAP").Lines);
        Append(day, Trade(t0 + 2, 2), Trade(t0 + 3, 3));
        var status = reader.ReadInstrument("okx", "BTC-USDT-SWAP");
        Assert.Equal(3, status.Lines);
        Assert.Equal(t0 + 3, status.LastTradeTs);
        Assert.True(File.Exists(Path.Combine(_vault.StateDir, "status", "okx", "BTC-USDT-SWAP.json")));
    }

    [Fact]
    public void ReadInstrument_FileTruncatedBelowCache_Rescans()
    {
        var day = new DateOnly(2025, 1, 1);
        var t0 = TradeTime.DayStartMs(day);
        Append(day, Trade(t0 + 1, 1), Trade(t0 + 2, 2));
        var reader = new VaultStatusReader(_vault);
        Assert.Equal(2, reader.ReadInstrument("okx", "BTC-USDT-SWAP").Lines);
        var path = _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day);
        File.WriteAllText(path, RawTradeWriter.ToLine(Trade(t0 + 7, 9)));
        Assert.Equal(1, reader.ReadInstrument("okx", "BTC-USDT-SWAP").Lines);
    }
}
