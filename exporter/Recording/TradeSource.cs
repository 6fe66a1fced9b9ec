namespace Pipeline.Exporter.Recording;

/// <summary>Where a trade line came from (the raw line's "src").</summary>
public enum TradeSource : byte
{
    Ws = 0,
    Rest = 1,

    /// <summary>A daily archive file (backfill).</summary>
    Archive = 2,
}
