namespace Pipeline.Jobs.Hosting;

/// <summary>Compacts closed raw days to Parquet (verify, then remove the JSONL). Idempotent; daily by default.</summary>
public interface ICompactionPass
{
    Task<CompactionPassResult> RunAsync(CancellationToken cancellationToken);
}
