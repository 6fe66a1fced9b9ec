using System.CommandLine;
using System.Globalization;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Hosting;
using Spectre.Console;

namespace Pipeline.Jobs.Signal;

/// <summary><c>pipeline signal</c>: one pass of the signal/executor job for every configured strategy.</summary>
public static class SignalCommand
{
    private static readonly Option<string[]> Strategy = new("--strategy")
    {
        Description = "Strategy file(s) (default: the strategies of the configuration)",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Command Create()
    {
        var command = new Command("signal", "Run the strategies once over the final minutes: write signals, paper orders and fills");
        command.Options.Add(Strategy);
        command.Options.Add(HostCommandOptions.ConfigFile);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var files = context.Get(Strategy) is { Length: > 0 } given
            ? given
            : HostCommandOptions.LoadConfig(context).Strategies.ToArray();
        if (files.Length == 0)
        {
            throw new UsageException("no strategy: pass --strategy FILE (e.g. config/strategies/vwap_mean_reversion.yaml) or list strategies in the configuration");
        }

        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            throw new UsageException($"--strategy: {missing} does not exist");
        }

        var strategies = SignalPass.LoadStrategies(files);
        if (Trading.LivePlan.PaperOnlyRefusal(strategies, "signal") is { } refusal)
        {
            throw new UsageException(refusal);
        }

        var pass = new SignalPass(context.Vault, strategies, context.Time);
        var results = await Task.Run(() => pass.RunEach(token), token);
        var table = new Table().AddColumns("strategy", "exchange", "instId", "minutes", "trades", "orders", "fills", "position", "last minute");
        foreach (var (strategy, r) in results)
        {
            table.AddRow(Markup.Escape(strategy.Id), strategy.Exchange, strategy.InstId, Count(r.Minutes), Count(r.Trades), Count(r.Orders),
                Count(r.Fills), r.PositionOpen ? "open" : "flat",
                r.LastMinuteMs is { } m ? DateTimeOffset.FromUnixTimeMilliseconds(m).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-");
        }

        CliConsole.For(context.Output).Write(table);
        return ExitCodes.Ok;
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
