using System.Text.RegularExpressions;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Tests.Bench;

/// <summary><c>pipeline bench micro</c> with tiny sizes: every part runs and prints (no timing is asserted).</summary>
public sealed partial class MicroIngestBenchTests : IDisposable
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
    public async Task BenchMicro_TinyRun_PrintsIngestPeersChecksumMemoryAndGrowth()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["bench", "micro", "--updates", "2000", "--checksum-updates", "300", "--instruments", "2", "--growth-minutes", "0.5", "--dir", _scratch];
        var code = await PipelineCli.RunAsync(args, output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        foreach (var expected in new[]
        {
            "ingest okx book updates", "ingest binance book updates", "hot path into memory", "peer: JsonDocument parse", "peer: copy the frame bytes",
            "checksum ≠ 0", "memory, okx: 2 instruments", "memory, binance: 2 instruments", "vault growth per instrument-day", "BTC-USDT-SWAP", "BTCUSDT",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        // The hot path allocates nothing per update: the ingest rows say 0.0 bytes.
        Assert.Equal(2, IngestAllocation().Count(text));
    }

    [Fact]
    public async Task BenchMicro_TooFewUpdates_IsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await PipelineCli.RunAsync(["bench", "micro", "--updates", "10"], output, error));
        Assert.Contains("--updates must be at least 1000", error.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ingest (okx|binance) book updates \(frame[^│\n]*│\s*[\d,]+\s*│\s*[\d.]+\s*│\s*[\d,]+\s*│\s*[\d,]+\s*│\s*0\.0\s*│")]
    private static partial Regex IngestAllocation();
}
