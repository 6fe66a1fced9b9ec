using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Compact;

/// <summary>
/// The host's daily compaction (<see cref="ICompactionPass"/>): every closed raw and derived day of the
/// vault to Parquet, the same code as <c>pipeline compact</c>. Register with
/// <c>services.AddSingleton&lt;ICompactionPass, VaultCompactionPass&gt;()</c>.
/// </summary>
public sealed class VaultCompactionPass(VaultLayout vault, PipelineConfig config, TimeProvider time) : ICompactionPass
{
    public Task<CompactionPassResult> RunAsync(CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var report = Compactor.Create(vault, new CompactionOptions { AllowedLateness = config.Calculators.Lateness, Time = time })
                .Run(token: cancellationToken);
            if (report.Failed > 0)
            {
                throw new InvalidOperationException(
                    $"{report.Failed} day(s) could not be compacted (first: {report.Days.First(d => d.Outcome == CompactionOutcome.Failed).Day}: {report.Days.First(d => d.Outcome == CompactionOutcome.Failed).Reason})");
            }

            return new CompactionPassResult(report.Compacted, report.Rows);
        }, cancellationToken);
}
