using System.CommandLine;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Logging;
using Serilog;

namespace Pipeline.Jobs.Calc;

/// <summary><c>pipeline calc</c>: one incremental pass of every calculator for each instrument.</summary>
public static class CalcCommand
{
    public static Command Create()
    {
        var command = new Command("calc",
            "One incremental pass of all calculators (bars_1m, then vwap, bands, cvd, adx, kyle; with quotes or book days also ofi, microprice, vpin, bookdepth) for every instrument with raw data, or those named. " +
            "Only minutes the exporter watermark (or a closed day) has made final are emitted; a crash at any point is repaired on the next run.");
        CalcOptionsCli.AddTo(command);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var options = CalcOptionsCli.Options(context);
        var instruments = CalcOptionsCli.Instruments(context);
        if (instruments.Count == 0)
        {
            await context.Output.WriteLineAsync($"no instruments with raw data under {context.Vault.RawDir}");
            return ExitCodes.Ok;
        }

        var failed = new List<string>();
        foreach (var (exchange, instId) in instruments)
        {
            token.ThrowIfCancellationRequested();
            try
            {
                var result = CalculatorRunner.RunOnce(context.Vault, options, exchange, instId, token);
                await CalcOptionsCli.PrintAsync(context, result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not UsageException)
            {
                // One instrument's damage (a corrupt state file, an unwritable lock) must not stop the others.
                Log.Debug(ex, "Calculators failed for {Exchange} {InstId}", exchange, instId);
                failed.Add($"{exchange}/{instId}");
                await context.Error.WriteLineAsync($"error: {exchange}/{instId}: {PipelineLogging.Describe(ex)}");
            }
        }

        if (failed.Count > 0)
        {
            await context.Error.WriteLineAsync($"error: calculators failed for {failed.Count} of {instruments.Count} instruments: {string.Join(", ", failed)}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }
}
