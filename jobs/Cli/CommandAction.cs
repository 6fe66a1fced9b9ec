using System.CommandLine;
using Pipeline.Jobs.Logging;
using Serilog;

namespace Pipeline.Jobs.Cli;

/// <summary>
/// Wraps a command body: sets up logging, maps usage errors to exit 2 and any other failure to
/// exit 1 with its cause in one line, and turns Ctrl+C/SIGTERM into cancellation.
/// </summary>
public static class CommandAction
{
    // The clock of the command being run in this async flow (System.CommandLine offers no way to hand it to an action).
    private static readonly AsyncLocal<TimeProvider?> CurrentTime = new();

    /// <summary>Makes <paramref name="time"/> the clock of the commands run in this async flow until disposed.</summary>
    internal static IDisposable UseTime(TimeProvider time)
    {
        var previous = CurrentTime.Value;
        CurrentTime.Value = time;
        return new Restore(previous);
    }

    /// <param name="vault">What the command does with the vault, which decides its default vault (<see cref="VaultResolver"/>).</param>
    public static void Set(Command command, Func<CommandContext, CancellationToken, Task<int>> body, bool fileLog = true,
        VaultUse vault = VaultUse.Default)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, token) => RunAsync(parse, body, fileLog, vault, token));
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body,
        bool fileLog, VaultUse vault, CancellationToken token)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var code = ExitCodes.Failure;
        try
        {
            var context = new CommandContext(parse, output, error) { Time = CurrentTime.Value ?? TimeProvider.System, VaultUse = vault };
            PipelineLogging.Configure(CommonOptions.Level(parse), fileLog ? context.Vault : null);
            code = await body(context, token);
            return code;
        }
        catch (Exception ex) when (ex is UsageException or Strategies.StrategyConfigException)
        {
            await error.WriteLineAsync("error: " + Pipeline.Exporter.Trading.SecretRedactor.Redact(ex.Message));
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
        // Catch-all on purpose: the top of a command: every failure becomes exit 1 with its cause
        catch (Exception ex)
        {
            Log.Debug(ex, "Command failed");
            await error.WriteLineAsync("error: " + PipelineLogging.Describe(ex));
            return ExitCodes.Failure;
        }
        finally
        {
            await CloseLogAsync(error, code);
        }
    }

    /// <summary>
    /// Flushes and closes the log. On a full disk the file sink throws here, after the command's result is
    /// known: that must not become a stack trace or change the outcome, so it is one line on stderr (a
    /// warning after success; nothing more after a failure, whose cause is already printed).
    /// </summary>
    internal static async Task CloseLogAsync(TextWriter error, int code)
    {
        try
        {
            await Log.CloseAndFlushAsync();
        }
        // Catch-all on purpose: the log is lost either way; the command's own result stands
        catch (Exception ex)
        {
            if (code == ExitCodes.Ok)
            {
                await error.WriteLineAsync("warning: the log file could not be written: " + PipelineLogging.Describe(ex));
            }
        }
    }

    private sealed class Restore(TimeProvider? previous) : IDisposable
    {
        public void Dispose() => CurrentTime.Value = previous;
    }
}
