namespace Pipeline.Exporter;

/// <summary>The requested instruments cannot be recorded (unknown ids, or none with valid metadata).</summary>
public sealed class InstrumentsUnknownException : Exception
{
    public InstrumentsUnknownException()
    {
    }

    public InstrumentsUnknownException(string message) : base(message)
    {
    }

    public InstrumentsUnknownException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
