using System.CommandLine;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Demo;

/// <summary><c>pipeline demo</c>: the whole pipeline offline, against the in-process simulator.</summary>
public static class DemoCommand
{
    private static readonly Option<double> Hours = new("--hours")
    {
        Description = "Hours of synthetic market to stream (1–24)",
        DefaultValueFactory = _ => 6,
    };

    private static readonly Option<bool> Live = new("--live")
    {
        Description = "Trade through the live order adapters (signed Binance USD-M and OKX orders, user streams) against the simulator's private API with a throw-away account, while the market runs; prints live and paper side by side",
    };

    private static readonly Option<ulong> Seed = new("--seed") { Description = "Market seed", DefaultValueFactory = _ => 7 };

    public static Command Create()
    {
        var command = new Command("demo",
            "Run the whole pipeline offline: simulator → exporter → calculators → strategy (paper), then print a summary. " +
            "Uses ./vault-demo unless --vault is given (a directory that is empty or a previous demo vault).");
        command.Options.Add(Hours);
        command.Options.Add(Seed);
        command.Options.Add(Live);
        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var hours = context.Get(Hours);
        if (hours is < 1 or > 24)
        {
            throw new UsageException($"--hours: {hours} is outside 1–24");
        }

        if (context.Get(CommonOptions.LogLevel) is null && Environment.GetEnvironmentVariable("PIPELINE_LOG_LEVEL") is null)
        {
            // The demo prints its own progress; routine exporter logs would bury it. Live: the venue's refusals of
            // post-only orders that would take are part of the game (the summary counts them), not warnings to read.
            Logging.PipelineLogging.Configure(context.Get(Live) ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning, null);
        }

        // Never $PIPELINE_VAULT or the config's vault: those name real vaults, and the demo writes only a vault it made.
        var root = context.Get(CommonOptions.Vault) is { Length: > 0 } given ? given : VaultResolver.DemoDirectory;
        if (context.Get(Live))
        {
            var live = await new LiveDemoRun(DemoVault.Prepare(root), TimeSpan.FromHours(hours), context.Get(Seed), context.Output, context.Time)
                .RunAsync(token);
            live.Print(context.Output);
            return live.Trades > 0 && live.Minutes > 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }

        var demo = new DemoRun(DemoVault.Prepare(root), TimeSpan.FromHours(hours), context.Get(Seed), context.Output, context.Time);
        var summary = await demo.RunAsync(token);
        var cwd = Directory.GetCurrentDirectory();
        var isDemoDirectory = string.Equals(Path.GetFullPath(root), Path.Combine(cwd, VaultResolver.DemoDirectory), StringComparison.Ordinal);
        var realData = VaultResolver.HoldsData(Path.Combine(cwd, Pipeline.Vault.Layout.VaultLayout.DefaultDirectory));
        // What a read command without --vault would use now ($PIPELINE_VAULT and ./pipeline.yaml included).
        var isDefaultVault = string.Equals(Path.GetFullPath(VaultResolver.Resolve(null, VaultUse.Examine).Layout.Root).TrimEnd(Path.DirectorySeparatorChar),
            Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
        summary.Print(context.Output, isDefaultVault);
        if (isDemoDirectory)
        {
            await context.Output.WriteLineAsync(realData
                ? $"  (./{Pipeline.Vault.Layout.VaultLayout.DefaultDirectory} holds real data, so commands without --vault use it: keep --vault {VaultResolver.DemoDirectory})"
                : $"  (while ./{Pipeline.Vault.Layout.VaultLayout.DefaultDirectory} holds no data, status, query, verify and compact without --vault use this vault; export and backfill never write here)");
        }

        return summary.Trades > 0 && summary.Minutes > 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
