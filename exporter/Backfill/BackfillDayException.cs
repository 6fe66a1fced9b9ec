namespace Pipeline.Exporter.Backfill;

/// <summary>A day cannot be filled (bad checksum, corrupt or malformed archive, no source, file busy); the message says why.</summary>
public sealed class BackfillDayException : Exception
{
    public BackfillDayException()
    {
    }

    public BackfillDayException(string message) : base(message)
    {
    }

    public BackfillDayException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
