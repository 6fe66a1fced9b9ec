using Pipeline.Exporter.Micro;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Export;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>exchanges.X.data: what each exporter records (trades and the microstructure kinds).</summary>
public sealed class ExportDataConfigTests : ConfigFileTests
{
    [Fact]
    public void Load_NoDataKey_TradesOnly_AndReachesTheExporterOptions()
    {
        var config = Load("exchanges:\n  okx:\n    instruments: [BTC-USDT-SWAP]\n");
        var okx = config.Exchanges.Single(e => e.Name == "okx");
        Assert.Equal("trades", okx.Data.ToString());
        Assert.Same(okx.Data, ExporterFactory.Options(okx, config.Endpoints).Data);
    }

    [Fact]
    public void Load_DataFromEnvironment_IsParsed()
    {
        var config = Load("vault: v\n", new Dictionary<string, string> { ["PIPELINE_EXCHANGES__BINANCE__DATA"] = "trades" });
        Assert.True(config.Exchanges.Single(e => e.Name == "binance").Data.Trades);
    }

    [Theory]
    [InlineData("[trades, candles]", "unknown data kind 'candles'")]
    [InlineData("[Book]", "unknown data kind 'Book'")]
    public void Load_UnknownDataKind_IsAUsageErrorNamingTheKey(string list, string problem)
    {
        var error = Assert.Throws<UsageException>(() => Load($"exchanges:\n  okx:\n    data: {list}\n"));
        Assert.Contains("exchanges.okx.data", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownDataKind_ErrorListsTheValidKinds()
    {
        var error = Assert.Throws<UsageException>(() => Load("exchanges:\n  binance:\n    data: [trades, bookticker]\n"));
        Assert.Contains("exchanges.binance.data: unknown data kind 'bookticker' (expected a comma-separated list of trades,quotes,book,liquidations,derivatives)",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyDataList_IsAUsageErrorNotTradesOnly()
    {
        var error = Assert.Throws<UsageException>(() => Load("exchanges:\n  okx:\n    data: []\n"));
        Assert.Contains("exchanges.okx.data: names no data kind", error.Message, StringComparison.Ordinal);
        Assert.Contains("trades, quotes, book, liquidations, derivatives", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<UsageException>(() => Load("vault: v\n", new Dictionary<string, string> { ["PIPELINE_EXCHANGES__BINANCE__DATA"] = " " }));
        Assert.StartsWith("environment variable PIPELINE_EXCHANGES__BINANCE__DATA: exchanges.binance.data: names no data kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownDataKindInConfig_ExitsTwoWithOneLine()
    {
        var file = Dir.File("bad.yaml");
        await File.WriteAllTextAsync(file, $"vault: {Dir.File("vault")}\nexchanges:\n  okx:\n    data: [trades, candles]\n");
        var (code, _, error) = await CliRunner.RunAsync("run", "--config", file);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("exchanges.okx.data: unknown data kind 'candles'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryKind_InDocumentedOrder()
    {
        var data = ExportData.Parse("derivatives,book,trades,quotes,liquidations,book");
        Assert.True(data.Trades);
        Assert.Equal(MicroKinds.All.ToHashSet(), data.Micro);
        Assert.Equal("trades,quotes,book,liquidations,derivatives", data.ToString());
        Assert.Equal("quotes", ExportData.Parse("quotes").ToString()); // micro only: no trades recorder
    }

    [Fact]
    public async Task Export_UnknownDataKind_ExitsTwoWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(
            ["export", "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--data", "trades,candles", "--vault", Dir.Path], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--data", line, StringComparison.Ordinal);
        Assert.Contains("candles", line, StringComparison.Ordinal);
    }
}
