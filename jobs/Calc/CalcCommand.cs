using System.CommandLine;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Calc;

/// <summary><c>pipeline calc</c>: one incremental pass of every calculator for each instrument.</summary>
public static class CalcCommand
{
    public static Command Create()
    {
        var command = new Command("calc",
            "One incremental pass of all calculators (bars_1m, then vwap, bands, cvd, adx) for every instrument with raw data, or those named. " +
            "Only minutes the exporter watermark (or a closed day) has made final are emitted; a crash at any point is repaired on the next run.");
        CalcOptionsCli.AddTo(command);
        CommandAction.Set(command, RunAsync);
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

        foreach (var (exchange, instId) in instruments)
        {
            var result = CalculatorRunner.RunOnce(context.Vault, options, exchange, instId, token);
            await CalcOptionsCli.PrintAsync(context, result);
        }

        return ExitCodes.Ok;
    }
}
