using System.CommandLine;
using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Calc;

/// <summary><c>pipeline recalc</c>: rebuild derived days from raw through the same code.</summary>
public static class RecalcCommand
{
    private static readonly Option<string> From = new("--from") { Description = "First day to rebuild (yyyy-MM-dd)", Required = true };
    private static readonly Option<string?> To = new("--to") { Description = "Last day to rebuild (default: through the last raw day, resetting the live cursors)" };

    public static Command Create()
    {
        var command = new Command("recalc",
            "Rebuild the derived files (bars_1m, vwap, bands, cvd, adx, kyle; ofi, microprice, vpin, bookdepth with quotes or book days) of the given days from raw, through the same code as calc. " +
            "Each calculator restarts from its checkpoint at the start of --from; without --to the cursors are reset and the rebuild runs to what is final now.");
        CalcOptionsCli.AddTo(command);
        command.Options.Add(From);
        command.Options.Add(To);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        if (string.IsNullOrWhiteSpace(context.Get(CalcOptionsCli.Exchange)) || string.IsNullOrWhiteSpace(context.Get(CalcOptionsCli.Inst)))
        {
            throw new UsageException("recalc needs --exchange and --inst");
        }

        var from = CommonOptions.Day(context.Get(From), "--from");
        var to = context.Get(To) is { } t ? CommonOptions.Day(t, "--to") : (DateOnly?)null;
        if (to < from)
        {
            throw new UsageException("--to is before --from");
        }

        var options = CalcOptionsCli.Options(context);
        foreach (var (exchange, instId) in CalcOptionsCli.Instruments(context))
        {
            var result = CalculatorRunner.Recalc(context.Vault, options, exchange, instId, from, to, token);
            await CalcOptionsCli.PrintAsync(context, result);
        }

        return ExitCodes.Ok;
    }
}
