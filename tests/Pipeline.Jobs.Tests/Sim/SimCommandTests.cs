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
    [InlineData("--accounts-file", "/nonexistent/accounts.json", "--accounts-file")]
    [InlineData("--accounts", "-1", "--accounts")]
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

    [Fact]
    public async Task Sim_AccountsWithNoMicro_UsageErrorNamingBoth()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["sim", "--accounts", "1", "--no-micro"], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-micro", error.ToString(), StringComparison.Ordinal);
    }

    [UnixFact("file modes are Unix")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Sim_AccountsFile_OwnerOnlyReadAndParsed_OthersReadableRefused()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "accounts.json");
        File.WriteAllText(path, """[{"name":"bob","apiKey":"k1","secret":"s1","balance":500,"makerFee":"0.0001","ordersPer10s":5}]""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = OptionsOf("--accounts-file", path);
        var bob = Assert.Single(options.Accounts);
        Assert.Equal(("bob", "k1", "s1", 500m, 0.0001m, 0.0005m, 5), (bob.Name, bob.ApiKey, bob.Secret, bob.Balance, bob.MakerFee, bob.TakerFee, bob.OrderLimits[0].Count));
        Assert.DoesNotContain("s1", bob.ToString(), StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var ex = Assert.Throws<UsageException>(() => OptionsOf("--accounts-file", path));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_Accounts_GeneratesDistinctKeysWithDefaultFees()
    {
        var options = OptionsOf("--accounts", "2");
        Assert.Equal(["acct1", "acct2"], options.Accounts.Select(a => a.Name));
        Assert.NotEqual(options.Accounts[0].ApiKey, options.Accounts[1].ApiKey);
        Assert.All(options.Accounts, a => Assert.Matches("^[0-9a-f]{64}$", a.Secret));
        Assert.All(options.Accounts, a => Assert.Equal((0.0002m, 0.0005m), (a.MakerFee, a.TakerFee)));
    }

    [UnixFact("SIGTERM is sent with kill(1)")]
    public async Task Sim_Process_Accounts_PrintsTheTestKeyAndServesSignedRequests()
    {
        using var process = PipelineProcess.Start("sim", "--port", "0", "--rate", "20", "--instruments", "BTCUSDT", "--accounts", "1");
        await process.WaitForStdoutLineAsync(l => l.StartsWith("account ", StringComparison.Ordinal), "the account line");
        var lines = process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rest = lines.Single(l => l.StartsWith("binance-rest ", StringComparison.Ordinal)).Split(' ')[1];
        var account = lines.Single(l => l.StartsWith("account ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(5, account.Length);
        Assert.Equal("acct1", account[1]);
        Assert.Matches("^[0-9a-f]{16}$", account[4]); // the OKX passphrase

        using var client = new HttpClient { Timeout = PipelineProcess.DefaultBound };
        using var time = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri(rest + "/fapi/v1/time")));
        var query = "timestamp=" + time.RootElement.GetProperty("serverTime").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(account[3]), System.Text.Encoding.UTF8.GetBytes(query)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(rest + "/fapi/v1/openOrders?" + query + "&signature=" + signature));
        request.Headers.Add("X-MBX-APIKEY", account[2]);
        using var response = await client.SendAsync(request);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());

        // The same account on OKX's private REST: the passphrase printed is the one the simulator checks.
        var okx = lines.Single(l => l.StartsWith("okx-rest ", StringComparison.Ordinal)).Split(' ')[1];
        using var okxTime = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri(okx + "/api/v5/public/time")));
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(okxTime.RootElement.GetProperty("data")[0].GetProperty("ts").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        const string path = "/api/v5/trade/orders-pending";
        using var signed = new HttpRequestMessage(HttpMethod.Get, new Uri(okx + path));
        signed.Headers.Add("OK-ACCESS-KEY", account[2]);
        signed.Headers.Add("OK-ACCESS-SIGN", Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(account[3]), System.Text.Encoding.UTF8.GetBytes(ts + "GET" + path))));
        signed.Headers.Add("OK-ACCESS-TIMESTAMP", ts);
        signed.Headers.Add("OK-ACCESS-PASSPHRASE", account[4]);
        using var okxResponse = await client.SendAsync(signed);
        Assert.Equal("{\"code\":\"0\",\"msg\":\"\",\"data\":[]}", await okxResponse.Content.ReadAsStringAsync());

        var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
        Assert.True(code == 0, process.Describe());
    }

    private static Pipeline.Simulator.SimulatorOptions OptionsOf(params string[] args)
    {
        var parse = SimCommand.Create().Parse(args);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Empty(parse.Errors);
        return SimCommand.Options(new CommandContext(parse, output, error));
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
