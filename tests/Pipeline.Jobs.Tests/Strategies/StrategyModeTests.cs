using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Trading;

namespace Pipeline.Jobs.Tests.Strategies;

public sealed class StrategyModeTests : IDisposable
{
    private const string Minimal = "id: vwap_btc\nstrategy: vwap_mean_reversion\nexchange: binance\ninstId: BTCUSDT\n";

    private readonly TempDir _dir = new();
    private readonly StrategyRegistry _registry = StrategyRegistry.CreateDefault();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_NoMode_Paper()
    {
        Assert.Equal(TradingMode.Paper, _registry.Parse(Minimal, "x.yaml").Mode);
    }

    [Theory]
    [InlineData("paper", TradingMode.Paper)]
    [InlineData("live", TradingMode.Live)]
    [InlineData("~", TradingMode.Paper)]
    public void Parse_Mode_Read(string text, TradingMode expected)
    {
        Assert.Equal(expected, _registry.Parse(Minimal + $"mode: {text}\n", "x.yaml").Mode);
    }

    [Theory]
    [InlineData("Live")]
    [InlineData("real")]
    [InlineData("true")]
    public void Parse_ModeNotPaperOrLive_ErrorNamesFileKeyAndValidValues(string text)
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Parse(Minimal + $"mode: {text}\n", "x.yaml"));
        Assert.Equal($"x.yaml: mode: '{text}' is not one of paper, live (line 5)", ex.Message);
    }

    [Fact]
    public void Load_CommittedStrategyFiles_AreOnPaper()
    {
        foreach (var file in new[] { "vwap_mean_reversion.yaml", "micro_mr.yaml" })
        {
            Assert.Equal(TradingMode.Paper, _registry.Load(Path.Combine(RepoPaths.Root(), "config", "strategies", file)).Mode);
        }
    }

    [Fact]
    public async Task SignalCommand_ModeTypo_ExitsTwoInOneLine()
    {
        var file = _dir.File("s.yaml");
        await File.WriteAllTextAsync(file, Minimal + "mode: lvie\n");

        var (code, _, error) = await CliRunner.RunAsync("signal", "--vault", _dir.File("vault"), "--strategy", file);

        Assert.Equal(2, code);
        Assert.Equal($"error: {file}: mode: 'lvie' is not one of paper, live (line 5)", error.Trim());
    }
}
