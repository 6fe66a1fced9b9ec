using System.CommandLine;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Kill;

/// <summary>
/// <c>pipeline kill --strategy ID [--clear] [--reason TEXT]</c>: sets (or clears) a strategy's kill switch in
/// state/risk/{id}.kill.json. While set, the risk gate blocks every new order of the strategy and the executor cancels
/// its open orders and flattens once (the paper executor at the next trade of its next pass); it stays halted until
/// cleared, across restarts.
/// </summary>
public static class KillCommand
{
    private static readonly Option<string?> Strategy = new("--strategy") { Description = "The strategy id (the id: of its file, e.g. vwap_mean_reversion)" };
    private static readonly Option<bool> Clear = new("--clear") { Description = "Clear the kill switch: new orders are allowed again" };
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why (kept in the state file and shown by status)" };

    public static Command Create()
    {
        var command = new Command("kill", "Kill switch: halt a strategy's new orders, cancel and flatten (until --clear)");
        command.Options.Add(Strategy);
        command.Options.Add(Clear);
        command.Options.Add(Reason);
        CommandAction.Set(command, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var id = context.Get(Strategy) ?? throw new UsageException("kill: --strategy ID is required (the id: of the strategy's file)");
        if (!VaultNames.IsName(id))
        {
            throw new UsageException($"--strategy: '{CommonOptions.Shown(id)}' is not a strategy id (lower-case letters, digits, '_', e.g. vwap_mean_reversion)");
        }

        var reason = context.Get(Reason)?.Trim() ?? "";
        if (reason.Any(char.IsControl) || reason.Length > 200)
        {
            throw new UsageException("--reason: one line of at most 200 characters");
        }

        var file = RiskStore.KillFile(context.Vault, id);
        var current = file.Read();
        var now = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (context.Get(Clear))
        {
            if (current is not { Active: true })
            {
                await context.Output.WriteLineAsync($"kill switch of {id} is not set; nothing to clear");
                return ExitCodes.Ok;
            }

            file.Write(current with { Active = false, ClearedAtMs = now });
            Log.Warning("Kill switch of {Strategy} cleared", id);
            await context.Output.WriteLineAsync($"kill switch of {id} cleared: new orders are allowed again (other halts still apply)");
            return ExitCodes.Ok;
        }

        if (current is { Active: true })
        {
            await context.Output.WriteLineAsync($"kill switch of {id} already set at {PaperTradingEngine.Iso(current.SetAtMs)}; clear it with --clear");
            return ExitCodes.Ok;
        }

        if (!File.Exists(context.Vault.ExecutorState(id)) && !Directory.Exists(context.Vault.LedgerStrategyDir(id)) && !RiskStore.StateFile(context.Vault, id).Exists)
        {
            // Set anyway (a switch set before the first run must hold), but a typo in the id should not pass unnoticed.
            await context.Error.WriteLineAsync($"warning: no strategy '{id}' has run in the vault {context.Vault.Root} yet; the switch applies when one with this id starts");
        }

        file.Write(new KillSwitch { Strategy = id, Active = true, Reason = reason, SetAtMs = now });
        Log.Warning("Kill switch of {Strategy} set: {Reason}", id, reason);
        await context.Output.WriteLineAsync(
            $"kill switch of {id} set at {PaperTradingEngine.Iso(now)}: every new order is blocked; cancel + flatten requested (the executor does it at its next price); clear with pipeline kill --strategy {id} --clear");
        return ExitCodes.Ok;
    }
}
