namespace Pipeline.Vault.Status;

/// <summary>Line count and event-time range of one raw day file, as of a byte length.</summary>
public sealed record DayFileStats
{
    public required long Length { get; init; }
    public required long Lines { get; init; }
    public long? FirstTs { get; init; }
    public long? MinTs { get; init; }
    public long? MaxTs { get; init; }
}
