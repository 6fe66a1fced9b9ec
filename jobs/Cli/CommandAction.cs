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
    public static void Set(Command command, Func<CommandContext, CancellationToken, Task<int>> body, bool fileLog = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, token) => RunAsync(parse, body, fileLog, token));
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body,
        bool fileLog, CancellationToken token)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var context = new CommandContext(parse, output, error);
            PipelineLogging.Configure(CommonOptions.Level(parse), fileLog ? context.Vault : null);
            return await body(context, token);
        }
        catch (Exception ex) when (ex is UsageException or Strategies.StrategyConfigException)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // the top of a command: every failure becomes exit 1 with its cause
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Debug(ex, "Command failed");
            await error.WriteLineAsync("error: " + PipelineLogging.Describe(ex));
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
