namespace Pipeline.Jobs.Trading;

/// <summary>
/// The live strategies of one <c>pipeline run</c> and the fatal failure that stopped it, if any: a venue that refused the
/// API key stops the whole host (exit 1, one line), never a retry loop.
/// </summary>
public sealed class LiveTrading(IReadOnlyList<LiveStrategy> strategies)
{
    private readonly Lock _gate = new();
    private string? _fatal;

    public IReadOnlyList<LiveStrategyRun> Runs { get; } = [.. strategies.Select(s => new LiveStrategyRun(s))];

    /// <summary>The first fatal failure (one line), or null.</summary>
    public string? Fatal
    {
        get
        {
            lock (_gate)
            {
                return _fatal;
            }
        }
    }

    /// <summary>Records a fatal failure; only the first is kept (it is the cause).</summary>
    public void Fail(string message)
    {
        lock (_gate)
        {
            _fatal ??= message;
        }
    }
}
