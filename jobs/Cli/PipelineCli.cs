using System.CommandLine;

namespace Pipeline.Jobs.Cli;

/// <summary>The <c>pipeline</c> command line: one root, one sub-command per job.</summary>
public static class PipelineCli
{
    /// <summary>How long a cancelled command may take to drain before the process is ended.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static RootCommand Build()
    {
        var root = new RootCommand("Pipeline: records perpetual-swap trades into a file vault, computes exact minute indicators, trades on them (paper), and answers SQL with DuckDB.");
        root.Options.Add(CommonOptions.Vault);
        root.Options.Add(CommonOptions.LogLevel);
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Every sub-command; each feature folder contributes its own.</summary>
    private static IEnumerable<Command> Commands()
    {
        yield return Doctor.DoctorCommand.Create();
        yield return Status.StatusCommand.Create();
        yield return Hosting.RunCommand.Create();
        yield return Hosting.ScheduleCommand.Create();
        yield return Export.ExportCommand.Create();
        yield return Verify.VerifyCommand.Create();
        yield return Book.BookCommand.Create();
        yield return Sim.SimCommand.Create();
        yield return Calc.CalcCommand.Create();
        yield return Calc.RecalcCommand.Create();
        yield return Signal.SignalCommand.Create();
        yield return Kill.KillCommand.Create();
        yield return Demo.DemoCommand.Create();
        yield return Query.QueryCommand.Create();
        yield return Compact.CompactCommand.Create();
        yield return Backtest.BacktestCommand.Create();
        yield return Chart.ChartCommand.Create();
        yield return Bench.BenchCommand.Create();
        yield return Backfill.BackfillCommand.Create();
    }

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null) =>
        RunAsync(args, TimeProvider.System, output, error);

    /// <summary>Runs a command whose clock is <paramref name="time"/> (tests run commands on a fixed day; the process uses the system clock).</summary>
    public static async Task<int> RunAsync(string[] args, TimeProvider time, TextWriter? output = null, TextWriter? error = null)
    {
        using var clock = CommandAction.UseTime(time);
        var root = Build();
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Exceptions that escape a command come back here and become one line, never a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        // SIGINT/SIGTERM cancel the command's token; a draining command (export, sim, calc) gets time
        // to fsync and write its state instead of System.CommandLine's default 2 s cut-off. The
        // Generic Host commands (run, schedule) handle the signals themselves.
        configuration.ProcessTerminationTimeout = parse.CommandResult.Command is LongRunningCommand ? null : DrainTimeout;
        if (parse.Errors.Count > 0)
        {
            // Usage errors: one line, exit 2 (System.CommandLine's default would be 1 plus help).
            await configuration.Error.WriteLineAsync("error: " + parse.Errors[0].Message + " (see 'pipeline --help')");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(configuration);
        }
        // Catch-all on purpose: the last line of defence: any failure is exit 1 with its cause in one line
        catch (Exception ex)
        {
            await configuration.Error.WriteLineAsync("error: " + Logging.PipelineLogging.Describe(ex));
            return ExitCodes.Failure;
        }
    }
}
