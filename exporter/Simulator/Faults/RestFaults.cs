namespace Pipeline.Simulator.Faults;

/// <summary>Random HTTP 429s on REST API requests (rest429=P); thread-safe.</summary>
public sealed class RestFaults(FaultSpec spec, int seed)
{
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    public bool TooManyRequests()
    {
        if (spec.Rest429 <= 0)
        {
            return false;
        }

        lock (_gate)
        {
#pragma warning disable CA5394 // fault dice, not security
            return _random.NextDouble() < spec.Rest429;
#pragma warning restore CA5394
        }
    }
}
