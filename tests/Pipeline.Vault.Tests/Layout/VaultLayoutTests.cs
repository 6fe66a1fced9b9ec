using Pipeline.Vault.Layout;

namespace Pipeline.Vault.Tests.Layout;

public sealed class VaultLayoutTests
{
    private readonly VaultLayout _vault = new("/v");

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("A/B")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("BTC..USDT")]
    [InlineData("btc-usdt-swap")]
    [InlineData("BTC\\USDT")]
    [InlineData("-BTC")]
    public void RawDayJsonl_InvalidInstId_Throws(string instId)
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.RawDayJsonl("okx", instId, new DateOnly(2025, 1, 1)));
        Assert.Contains("invalid instId", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../okx")]
    [InlineData("OKX")]
    [InlineData("")]
    [InlineData("ok/x")]
    public void RawDayJsonl_InvalidExchange_Throws(string exchange)
    {
        Assert.Throws<VaultPathException>(() => _vault.RawDayJsonl(exchange, "BTCUSDT", new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void Paths_ValidNames_MatchDesign()
    {
        var day = new DateOnly(2025, 12, 14);
        Assert.Equal("/v/raw/okx/trades_perps/BTC-USDT-SWAP/2025-12-14.jsonl", _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day));
        Assert.Equal("/v/raw/binance/trades_perps/BTCUSDT/2025-12-14.parquet", _vault.RawDayParquet("binance", "BTCUSDT", day));
        Assert.Equal("/v/raw/okx/quarantine/2025-12-14.jsonl", _vault.QuarantineDay("okx", day));
        Assert.Equal("/v/meta/okx/instruments/SWAP.json", _vault.InstrumentsSnapshot("okx"));
        Assert.Equal("/v/derived/vwap/okx/perps/BTC-USDT-SWAP/2025-12-14.jsonl", _vault.DerivedDay("vwap", "okx", "BTC-USDT-SWAP", day));
        Assert.Equal("/v/derived/signals/vwap_mr/okx/BTC-USDT-SWAP/2025-12-14.jsonl", _vault.SignalsDay("vwap_mr", "okx", "BTC-USDT-SWAP", day));
        Assert.Equal("/v/ledger/vwap_mr/fills.jsonl", _vault.LedgerFills("vwap_mr"));
        Assert.Equal("/v/state/exporter/okx/BTC-USDT-SWAP.json", _vault.ExporterState("okx", "BTC-USDT-SWAP"));
        Assert.Equal("/v/state/bars_1m/okx/perps/BTC-USDT-SWAP.state.json", _vault.CalcState("bars_1m", "okx", "BTC-USDT-SWAP"));
        Assert.Equal("/v/state/executor/vwap_mr.json", _vault.ExecutorState("vwap_mr"));
    }

    [Fact]
    public void TryParseDayFileName_JsonlAndParquet_ParsesDay()
    {
        Assert.True(VaultLayout.TryParseDayFileName("2025-01-02.parquet", out var day, out var ext));
        Assert.Equal(new DateOnly(2025, 1, 2), day);
        Assert.Equal(".parquet", ext);
        Assert.False(VaultLayout.TryParseDayFileName("2025-01-02.jsonl.tmp", out _, out _));
        Assert.False(VaultLayout.TryParseDayFileName("notes.jsonl", out _, out _));
    }
}
