namespace Pipeline.Exporter.Backfill;

/// <summary>The archive file of a day does not exist (yet): HTTP 404 or not listed. In auto mode REST takes over.</summary>
public sealed class ArchiveUnavailableException : Exception
{
    public ArchiveUnavailableException()
    {
    }

    public ArchiveUnavailableException(string message) : base(message)
    {
    }

    public ArchiveUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
