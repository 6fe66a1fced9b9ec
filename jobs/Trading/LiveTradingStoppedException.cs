namespace Pipeline.Jobs.Trading;

/// <summary>
/// <c>pipeline run</c> stopped because live trading cannot go on (a venue refused the API key): the CLI prints the message,
/// one line, and exits 1.
/// </summary>
public sealed class LiveTradingStoppedException : Exception
{
    public LiveTradingStoppedException()
    {
    }

    public LiveTradingStoppedException(string message) : base(message)
    {
    }

    public LiveTradingStoppedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
