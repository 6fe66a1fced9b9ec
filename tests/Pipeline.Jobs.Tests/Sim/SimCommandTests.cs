using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Sim;
using Pipeline.Testing;

namespace Pipeline.Jobs.Tests.Sim;

public sealed class SimCommandTests
{
    [Theory]
    [InlineData("--faults", "disconnect=5s,flood=0.1", "flood=0.1")]
    [InlineData("--faults", "dup=7", "dup=7")]
    [InlineData("--instruments", "BTC-USDT-SWAP,NOPE", "NOPE")]
    [InlineData("--start", "yesterday-ish", "--start")]
    [InlineData("--rate", "0", "--rate")]
    public async Task Sim_BadOption_ExitsTwoNamingIt(string option, string value, string named)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["sim", option, value], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], true, true)]
    [InlineData(new[] { "--no-micro" }, false, true)]
    [InlineData(new[] { "--okx-zero-checksum" }, true, false)]
    public void Sim_MicroFlags_SetTheMicrostructureAndTheOkxChecksum(string[] flags, bool micro, bool checksum)
    {
        var command = SimCommand.Create();
        var parse = command.Parse(flags);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = SimCommand.Options(new CommandContext(parse, output, error));

        Assert.Empty(parse.Errors);
        Assert.Equal((micro, checksum), (options.Micro, options.OkxBookChecksum));
    }

    [UnixFact("SIGTERM is sent with kill(1)")]
    public async Task Sim_Process_PrintsEndpointLines_StopsCleanlyOnSigterm()
    {
        var truth = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var process = PipelineProcess.Start("sim", "--port", "0", "--rate", "20", "--instruments", "BTC-USDT-SWAP,BTCUSDT", "--truth", truth);
            var names = new[] { "okx-ws-public", "okx-ws-business", "okx-rest", "binance-ws", "binance-rest", "archive" };
            await process.WaitForStdoutLineAsync(l => l.StartsWith("archive ", StringComparison.Ordinal), "the last endpoint line (archive)");
            var lines = process.Stdout.Split('\n').Take(names.Length).ToList();

            Assert.Equal(names, lines.Select(l => l.Split(' ')[0]));
            Assert.Matches(@"^okx-ws-public ws://127\.0\.0\.1:\d+/ws/v5/public$", lines[0]);
            Assert.Matches(@"^okx-ws-business ws://127\.0\.0\.1:\d+/ws/v5/business$", lines[1]);
            Assert.Matches(@"^okx-rest http://127\.0\.0\.1:\d+$", lines[2]);
            Assert.Matches(@"^binance-ws ws://127\.0\.0\.1:\d+$", lines[3]);
            Assert.Matches(@"^binance-rest http://127\.0\.0\.1:\d+$", lines[4]);
            Assert.Matches(@"^archive http://127\.0\.0\.1:\d+/archive$", lines[5]);

            using var client = new HttpClient { Timeout = PipelineProcess.DefaultBound };
            var rest = lines[2].Split(' ')[1];
            var body = await client.GetStringAsync(new Uri(rest + "/api/v5/public/instruments?instType=SWAP"));
            Assert.Contains("BTC-USDT-SWAP", body, StringComparison.Ordinal);

            var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code == 0, process.Describe());
            Assert.True(File.Exists(Path.Combine(truth, "truth.json")));
            Assert.True(File.Exists(Path.Combine(truth, "okx", "BTC-USDT-SWAP.jsonl")));
        }
        finally
        {
            if (Directory.Exists(truth))
            {
                Directory.Delete(truth, recursive: true);
            }
        }
    }
}
