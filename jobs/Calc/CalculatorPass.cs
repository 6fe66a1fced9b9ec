using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Calc;

/// <summary>The scheduled calculators job: one incremental pass of every calculator for every instrument in the vault.</summary>
public sealed class CalculatorPass(VaultLayout vault, PipelineConfig config, TimeProvider time) : ICalculatorPass
{
    private readonly ILogger _log = Log.ForContext<CalculatorPass>();

    public CalcOptions Options { get; } = config.Calculators.ToOptions(time);

    public Task<CalcPassResult> RunAsync(CancellationToken cancellationToken) =>
        Task.Run(() => Run(cancellationToken), cancellationToken);

    private CalcPassResult Run(CancellationToken token)
    {
        var instruments = CalculatorRunner.Instruments(vault);
        long minutes = 0;
        var failed = 0;
        foreach (var (exchange, instId) in instruments)
        {
            token.ThrowIfCancellationRequested();
            try
            {
                var result = CalculatorRunner.RunOnce(vault, Options, exchange, instId, token);
                minutes += result.BarsEmitted;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken instrument must not stop the others; the job reports the failure.
                failed++;
                _log.Error(ex, "Calculators failed for {Exchange} {InstId}", exchange, instId);
            }
        }

        return new CalcPassResult(instruments.Count, minutes, failed);
    }
}
