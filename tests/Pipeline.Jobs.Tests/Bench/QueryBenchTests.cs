using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Tests.Bench;

public sealed class QueryBenchTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public async Task BenchQuery_SmallRun_PrintsEveryQueryAndReusesData()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["bench", "query", "--days", "2", "--trades-per-day", "2000", "--runs", "1", "--scratch", _scratch];
        var code = await PipelineCli.RunAsync(args, output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        Assert.Contains("count(*)", text, StringComparison.Ordinal);
        Assert.Contains("count(distinct tradeId)", text, StringComparison.Ordinal);
        Assert.Contains("1m OHLCV bars", text, StringComparison.Ordinal);
        Assert.Contains("2,880", text, StringComparison.Ordinal); // minute bars over 2 full days
        Assert.Contains("×", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_scratch, "parquet", "raw", "okx", "trades_perps", "BTC-USDT-SWAP", "2024-07-02.parquet")));

        using var again = new StringWriter();
        using var progress = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await PipelineCli.RunAsync(args, again, progress));
        Assert.Contains("reusing 2 generated day(s)", progress.ToString(), StringComparison.Ordinal);
    }
}
