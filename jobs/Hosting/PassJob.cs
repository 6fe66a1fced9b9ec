using Pipeline.Jobs.Logging;
using Quartz;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// Runs a pass inside a Quartz job: any failure becomes a <see cref="JobExecutionException"/>
/// without refire, so the listener logs it, the host keeps running, and the next fire retries.
/// </summary>
internal static class PassJob
{
    public static async Task<T> RunAsync<T>(IJobExecutionContext context, Func<CancellationToken, Task<T>> pass,
        CancellationToken cancellationToken)
    {
        try
        {
            return await pass(cancellationToken);
        }
        catch (JobExecutionException)
        {
            throw;
        }
        // Catch-all on purpose: a job boundary: every failure is reported to Quartz, never thrown into the host
        catch (Exception ex)
        {
            throw new JobExecutionException($"{context.JobDetail.Key.Name}: {PipelineLogging.Describe(ex)}", ex)
            {
                RefireImmediately = false,
            };
        }
    }
}
