using System.Text.Json;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Verify;

namespace Pipeline.Vault.Tests.Verify;

public sealed class TruthLayoutTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Paths_RangeFileAndOneJsonlPerExchangeAndInstrument()
    {
        Assert.Equal(Path.Combine(_dir.Path, "truth.json"), TruthLayout.RangePath(_dir.Path));
        Assert.Equal(Path.Combine(_dir.Path, "okx", "BTC-USDT-SWAP.jsonl"), TruthLayout.TradesPath(_dir.Path, "okx", "BTC-USDT-SWAP"));
    }

    [Theory]
    [InlineData("OKX", "BTC-USDT-SWAP")]
    [InlineData("okx", "../BTC")]
    [InlineData("okx", "btc-usdt-swap")]
    public void TradesPath_InvalidName_Throws(string exchange, string instId) =>
        Assert.Throws<VaultPathException>(() => TruthLayout.TradesPath(_dir.Path, exchange, instId));

    [Fact]
    public void WriteRange_ReadBackWhole_CamelCaseFileNoTempLeft()
    {
        var range = new TruthRange
        {
            StartTs = 1_772_323_200_000, EndTs = 1_772_323_260_000, Seed = 7, Rate = 50, Instruments = ["BTCUSDT", "BTC-USDT-SWAP"],
            UpdatedAt = new DateTimeOffset(2026, 3, 1, 0, 1, 0, TimeSpan.Zero),
        };
        TruthLayout.WriteRange(_dir.Path, range);
        TruthLayout.WriteRange(_dir.Path, range with { EndTs = range.EndTs + 1 }); // replaces

        var read = TruthLayout.ReadRange(_dir.Path);
        Assert.Equal(range.EndTs + 1, read.EndTs);
        Assert.Equal(range.StartTs, read.StartTs);
        Assert.Equal(range.Instruments, read.Instruments);
        Assert.Equal((range.Seed, range.Rate, range.UpdatedAt), (read.Seed, read.Rate, read.UpdatedAt));
        Assert.Equal(read.EndTs, TruthLayout.TryReadRange(_dir.Path)?.EndTs);
        var text = File.ReadAllText(TruthLayout.RangePath(_dir.Path));
        Assert.Contains("\"startTs\": 1772323200000", text, StringComparison.Ordinal);
        Assert.Contains("\"endTs\": 1772323260001", text, StringComparison.Ordinal);
        Assert.Equal(["truth.json"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TryReadRange_NoFile_Null() => Assert.Null(TruthLayout.TryReadRange(_dir.Path));

    [Fact]
    public void ReadRange_OnlyBounds_Enough()
    {
        File.WriteAllText(TruthLayout.RangePath(_dir.Path), """{"startTs":5,"endTs":9}""");
        var range = TruthLayout.ReadRange(_dir.Path);
        Assert.Equal((5L, 9L), (range.StartTs, range.EndTs));
        Assert.Empty(range.Instruments);
    }

    [Theory]
    [InlineData("""{"startTs":5}""")]
    [InlineData("""{"endTs":9}""")]
    [InlineData("""{"startTs":"5","endTs":9}""")]
    [InlineData("""{"startTs":5.5,"endTs":9}""")]
    [InlineData("""[5,9]""")]
    public void ReadRange_NoNumericBounds_JsonException(string json)
    {
        File.WriteAllText(TruthLayout.RangePath(_dir.Path), json);
        Assert.ThrowsAny<JsonException>(() => TruthLayout.ReadRange(_dir.Path));
    }

    [Fact]
    public void ReadRange_Null_InvalidData()
    {
        File.WriteAllText(TruthLayout.RangePath(_dir.Path), "null");
        Assert.Throws<InvalidDataException>(() => TruthLayout.ReadRange(_dir.Path));
    }

    [Fact]
    public void ExchangesAndInstruments_OnlyValidNamesAndJsonlFiles()
    {
        foreach (var path in new[]
        {
            TruthLayout.TradesPath(_dir.Path, "okx", "BTC-USDT-SWAP"), TruthLayout.TradesPath(_dir.Path, "binance", "BTCUSDT"),
            Path.Combine(_dir.Path, "binance", "notes.txt"), Path.Combine(_dir.Path, "binance", "lower.jsonl"),
            Path.Combine(_dir.Path, "Bad Exchange", "BTCUSDT.jsonl"),
        })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }

        Assert.Equal(["binance", "okx"], TruthLayout.Exchanges(_dir.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["BTCUSDT"], TruthLayout.Instruments(_dir.Path, "binance"));
        Assert.Equal(["BTC-USDT-SWAP"], TruthLayout.Instruments(_dir.Path, "okx"));
        Assert.Empty(TruthLayout.Exchanges(null));
        Assert.Empty(TruthLayout.Exchanges(_dir.File("absent")));
        Assert.Empty(TruthLayout.Instruments(_dir.Path, "bybit"));
    }
}
