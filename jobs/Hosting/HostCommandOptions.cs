using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Logging;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>Options and body shared by <c>pipeline run</c> and <c>pipeline schedule</c>.</summary>
internal static class HostCommandOptions
{
    public static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = "Configuration file (default: ./pipeline.yaml when present, else built-in defaults; see config/pipeline.example.yaml)",
    };

    public static readonly Option<string?> CalcCron = new("--calc-cron")
    {
        Description = "Quartz cron for the calculators (overrides schedule.calculators), e.g. \"0 */5 * * * ?\"",
    };

    public static void Add(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(CalcCron);
    }

    /// <summary>Flags beat PIPELINE_* variables, which beat the file, which beats the defaults.</summary>
    public static PipelineConfig LoadConfig(CommandContext context)
    {
        var flags = new List<ConfigOverride>();
        if (context.Get(CommonOptions.Vault) is { Length: > 0 } vault)
        {
            flags.Add(new ConfigOverride(ConfigKeys.Vault, vault, "--vault"));
        }

        if (context.Get(CalcCron) is { Length: > 0 } cron)
        {
            flags.Add(new ConfigOverride(ConfigKeys.CalculatorsCron, cron, "--calc-cron"));
        }

        return PipelineConfigLoader.Load(context.Get(ConfigFile), flags);
    }

    public static async Task<int> RunHostAsync(CommandContext context, HostMode mode, CancellationToken token)
    {
        var config = LoadConfig(context);
        if (mode == HostMode.Run && Demo.DemoVault.IsDemo(config.Vault))
        {
            // The exporters record the real market: it never mixes with the demo's synthetic one.
            throw new UsageException(
                $"{config.Vault} is the demo's vault ({Demo.DemoVault.MarkerFile}); run records real data and never writes there: set vault: or pass --vault with another directory");
        }

        // Logs go to the configured vault (the file may name another vault than --vault/env).
        PipelineLogging.Configure(CommonOptions.Level(context.Parse), new VaultLayout(config.Vault));
        using var host = PipelineHost.Build(config, mode, HostComposition.AddPipelineServices);
        await host.RunAsync(token);
        Log.Information("Host {Mode} stopped cleanly", mode.ToString().ToLowerInvariant());
        return ExitCodes.Ok;
    }
}
