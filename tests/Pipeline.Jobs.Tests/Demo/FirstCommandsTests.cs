namespace Pipeline.Jobs.Tests.Demo;

/// <summary>
/// A newcomer's first commands, in the README's order and with its defaults (no --vault): the demo, then status,
/// query, verify and compact. Each must act on the demo's data and exit 0; before, every one after the demo used the
/// empty ./vault-data (verify exited 1). Real processes in a fresh working directory, as a user runs them.
/// </summary>
public sealed class FirstCommandsTests : IDisposable
{
    private static readonly TimeSpan DemoBound = TimeSpan.FromMinutes(5);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadmeFirstCommands_AfterDemoWithoutVault_ActOnTheDemosDataAndExitZero()
    {
        var demo = await RunAsync(DemoBound, "demo", "--hours", "1");
        Assert.True(demo.Code == 0, demo.Describe);
        Assert.Contains("status, query, verify and compact without --vault use this vault", demo.Stdout, StringComparison.Ordinal);

        var status = await RunAsync(PipelineProcess.DefaultBound, "status");
        AssertOnDemo(status);
        Assert.Contains("BTC-USDT-SWAP", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("BTCUSDT", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("holds no raw trades", status.Stdout, StringComparison.Ordinal);

        var query = await RunAsync(PipelineProcess.DefaultBound, "query",
            "select count(*) filter (where exchange = 'okx') okx, count(*) filter (where exchange = 'binance') binance from trades", "--format", "csv");
        AssertOnDemo(query);
        var counts = query.Stdout.ReplaceLineEndings("\n").Split('\n')[1].Split(',').Select(long.Parse).ToList();
        Assert.True(counts.All(c => c > 0), query.Describe);

        // The README's "First steps after the demo", read from the README and run as written there.
        var readme = ReadmeFirstSteps();
        Assert.Contains(readme, c => c[0] == "chart");
        foreach (var command in readme)
        {
            var result = await RunAsync(PipelineProcess.DefaultBound, command);
            AssertOnDemo(result);
            if (command[0] == "query" && !command.Contains("csv"))
            {
                // Trades and minutes have rows (the positions a one-hour demo opens are the strategy's business).
                Assert.False(result.Stdout.ReplaceLineEndings("\n").Trim().Split('\n')[^1].StartsWith("0 rows", StringComparison.Ordinal), result.Describe);
            }

            if (command[0] == "chart")
            {
                var png = _dir.File(command[Array.IndexOf(command, "--out") + 1]);
                Assert.True(new FileInfo(png).Length > 10_000, $"{png}: {result.Describe}");
            }
        }

        var verify = await RunAsync(PipelineProcess.DefaultBound, "verify");
        AssertOnDemo(verify);

        var compact = await RunAsync(PipelineProcess.DefaultBound, "compact");
        AssertOnDemo(compact);
        Assert.Contains("left as JSONL: the demo recorded only part of its day, which never closes", compact.Stdout, StringComparison.Ordinal);

        // Nothing of the demo went into the real vault's place, and no command made one.
        Assert.False(Directory.Exists(_dir.File("vault-data")), "a command created ./vault-data");
    }

    /// <summary>Every <c>./run.sh</c> line of the README's "First steps after the demo" block, split as a shell would (comments cut).</summary>
    private static List<string[]> ReadmeFirstSteps()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("### First steps after the demo", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"First steps after the demo\" section");
        var open = readme.IndexOf("```bash\n", start, StringComparison.Ordinal) + "```bash\n".Length;
        var block = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
        var commands = block.Split('\n').Where(l => l.StartsWith("./run.sh ", StringComparison.Ordinal)).Select(l => Words(l)[1..]).ToList();
        Assert.True(commands.Count >= 5, block);
        return commands;
    }

    /// <summary>Shell words: double-quoted strings kept whole, a <c>#</c> outside quotes starts a comment.</summary>
    private static string[] Words(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var ch in line)
        {
            if (ch == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (!quoted && ch == '#')
            {
                break;
            }
            else if (!quoted && ch == ' ')
            {
                if (any)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    any = false;
                }
            }
            else
            {
                word.Append(ch);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    private static void AssertOnDemo(Result result)
    {
        Assert.True(result.Code == 0, result.Describe);
        Assert.Contains("vault: ./vault-demo (the demo's;", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<Result> RunAsync(TimeSpan bound, params string[] args)
    {
        using var process = PipelineProcess.Start(args, _dir.Path, new Dictionary<string, string?> { ["PIPELINE_LOG_LEVEL"] = null });
        var code = await process.WaitForExitAsync(bound);
        return new Result(code, process.Stdout, process.Stderr, process.Describe());
    }

    private sealed record Result(int Code, string Stdout, string Stderr, string Describe);
}
