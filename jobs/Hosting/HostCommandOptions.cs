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

    public static readonly Option<bool> ConfirmLive = new(Trading.LiveModeGate.ConfirmFlag)
    {
        Description = "Confirm live trading for the strategies configured with mode: live (or set PIPELINE_CONFIRM_LIVE=1); keys come from the environment or an owner-only file (trading.credentialsFile), never the command line",
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

        // Live or not is settled before anything starts: a refusal is one line (exit 2) with nothing running.
        var strategies = Signal.SignalPass.LoadStrategies(config.Strategies);
        IReadOnlyList<Trading.LiveStrategy> liveStrategies = [];
        if (mode == HostMode.Run)
        {
            liveStrategies = Trading.LivePlan.Decide(strategies, config.Trading, context.Get(ConfirmLive), Environment.GetEnvironmentVariable);
        }
        else if (Trading.LivePlan.PaperOnlyRefusal(strategies, "schedule") is { } refusal)
        {
            throw new UsageException(refusal);
        }

        // Logs go to the configured vault (the file may name another vault than --vault/env).
        PipelineLogging.Configure(CommonOptions.Level(context.Parse), new VaultLayout(config.Vault));
        var live = new Trading.LiveTrading(liveStrategies);
        foreach (var strategy in liveStrategies)
        {
            // Loud on purpose: whoever starts or watches this run must see that real orders follow, where, and with which key.
            // The banner on stderr; the log (console and file) gets it in one line, so the terminal does not show it twice.
            await context.Error.WriteLineAsync(strategy.Decision.Banner);
            Log.Warning("LIVE TRADING ({Account}): strategy {Strategy} on {Venue}, API key {KeyId} ({Source}), endpoint {Endpoint}: orders from this run are sent to the exchange",
                strategy.Target.Account,
                strategy.Strategy.Id, strategy.Target.Venue, strategy.Decision.Credentials!.KeyId, strategy.Decision.Credentials.Source,
                Pipeline.Exporter.Rest.EndpointRedaction.Redact(strategy.Target.Endpoint));
        }

        using (var host = PipelineHost.Build(config, mode, (services, c) => HostComposition.AddPipelineServices(services, c, live)))
        {
            await host.RunAsync(token);
        }

        if (live.Fatal is { } fatal)
        {
            // The host stopped because a venue refused a key: exit 1 with that line, nothing retried.
            throw new Trading.LiveTradingStoppedException(fatal);
        }

        Log.Information("Host {Mode} stopped cleanly", mode.ToString().ToLowerInvariant());
        return ExitCodes.Ok;
    }
}
