using Pipeline.Jobs.Logging;
using Serilog;
using Serilog.Events;

namespace Pipeline.Jobs.Tests.Cli;

/// <summary>A full disk when the log is flushed at shutdown, or any logged failure: the cause in one line, never a stack trace.</summary>
public sealed class ShutdownFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [NeedsFileFact("/dev/full")]
    public async Task Command_LogFileOnFullDiskAtShutdown_OneLineNoStackTrace()
    {
        // The log file is /dev/full (every write: ENOSPC). A bad raw line makes calc log a warning, which the
        // file sink can only fail to write when the log is flushed and closed at the end of the command.
        var vault = _dir.File("vault");
        var raw = Path.Combine(vault, "raw", "binance", "trades_perps", "BTCUSDT");
        Directory.CreateDirectory(raw);
        await File.WriteAllTextAsync(Path.Combine(raw, "2025-03-01.jsonl"),
            "{\"exchange\":\"binance\",\"instId\":\"BTCUSDT\",\"tradeId\":\"100\",\"ts\":1740787200001,\"px\":\"1\",\"sz\":\"1\",\"side\":\"sell\"," +
            "\"ctVal\":\"1\",\"ctMult\":\"1\",\"ctType\":\"linear\",\"ctValCcy\":\"BTC\",\"qtyBase\":\"1\",\"recvTs\":1740787200001,\"src\":\"ws\"," +
            "\"firstId\":\"1\",\"lastId\":\"1\"}\nnot json\n");
        var logs = Path.Combine(vault, "logs");
        Directory.CreateDirectory(logs);
        foreach (var offset in new[] { -1, 0, 1 })
        {
            // The rolling file is named after the local date; cover a date change during the run.
            File.CreateSymbolicLink(Path.Combine(logs, $"pipeline-{DateTime.Now.AddDays(offset):yyyyMMdd}.log"), "/dev/full");
        }

        var (code, stderr) = await RunAsync("calc", "--vault", vault, "--exchange", "binance");

        Assert.True(code == 0, stderr); // the calculation itself succeeded; only the log was lost
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(stderr.Split('\n'), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        var warning = Assert.Single(stderr.Split('\n'), l => l.StartsWith("warning: the log file could not be written", StringComparison.Ordinal));
        Assert.Contains("No space left on device", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleLog_ErrorWithException_CauseInOneLineWithoutStackTrace()
    {
        using var writer = new StringWriter();
        using (var log = PipelineLogging.WriteConsole(new LoggerConfiguration(), LogEventLevel.Information, writer).CreateLogger())
        {
            log.Error(Thrown(), "Writer for {InstId} failed", "BTCUSDT");
        }

        var line = Assert.Single(writer.ToString().TrimEnd('\n').Split('\n'));
        Assert.EndsWith("Writer for BTCUSDT failed: No space left on device : 'x.jsonl' (disk full)", line.TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_ErrorWithException_ConsoleOneLineFileKeepsStackTrace()
    {
        var vault = new Pipeline.Vault.Layout.VaultLayout(_dir.File("vault"));
        using var console = new StringWriter();
        using (var log = PipelineLogging.Create(LogEventLevel.Information, vault, console))
        {
            log.Error(Thrown(), "Writer for {InstId} failed", "BTCUSDT");
        }

        Assert.Single(console.ToString().TrimEnd('\n').Split('\n'));
        var file = File.ReadAllText(Assert.Single(Directory.GetFiles(vault.LogsDir)));
        Assert.Contains(" at ", file, StringComparison.Ordinal);
        Assert.DoesNotContain(ExceptionLineEnricher.PropertyName, file, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleLog_DebugLevel_KeepsStackTrace()
    {
        using var writer = new StringWriter();
        using (var log = PipelineLogging.WriteConsole(new LoggerConfiguration(), LogEventLevel.Debug, writer).CreateLogger())
        {
            log.Error(Thrown(), "Writer failed");
        }

        Assert.Contains(" at ", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_MultiLineMessage_OneLine()
    {
        var ex = new IOException("first line\nsecond line\r\nthird");
        Assert.Equal("first line second line third", PipelineLogging.Describe(ex));
    }

    private static IOException Thrown()
    {
        try
        {
            throw new IOException("No space left on device : 'x.jsonl'", new IOException("disk full"));
        }
        catch (IOException ex)
        {
            return ex;
        }
    }

    private static async Task<(int Code, string Stderr)> RunAsync(params string[] args)
    {
        var run = await PipelineProcess.RunAsync(args, TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["PIPELINE_LOG_LEVEL"] = null });
        return (run.ExitCode, run.Stderr);
    }
}
