namespace Pipeline.Jobs.Hosting;

/// <summary>
/// One pass of every calculator over every configured instrument, from each cursor to the newest
/// final minute. Idempotent (cursor-based); the host runs it on the calculators cron and never
/// concurrently with itself.
/// </summary>
public interface ICalculatorPass
{
    Task<CalcPassResult> RunAsync(CancellationToken cancellationToken);
}
