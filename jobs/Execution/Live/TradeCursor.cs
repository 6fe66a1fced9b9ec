namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// How far the executor has read the raw trades: the next pass starts at <see cref="Offset"/> in
/// the day file of <see cref="Day"/> and skips lines with ts &lt; <see cref="ProcessedUntilTs"/>
/// (every trade below it was processed; lines after Offset may be ones that were).
/// </summary>
public sealed record TradeCursor(DateOnly Day, long Offset, long ProcessedUntilTs);
