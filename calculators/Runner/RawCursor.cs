namespace Pipeline.Calculators.Runner;

/// <summary>A position in a day file: byte offset for JSONL (the next line's start), row for Parquet.</summary>
public sealed class RawCursor
{
    public DateOnly Day { get; set; }
    public string Format { get; set; } = "jsonl";
    public long Offset { get; set; }
}

/// <summary>An output day file and its committed length.</summary>
public sealed class OutputPosition
{
    public DateOnly Day { get; set; }
    public long Length { get; set; }
}
