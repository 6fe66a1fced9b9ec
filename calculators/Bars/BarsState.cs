using Pipeline.Calculators.Raw;
using Pipeline.Calculators.Runner;

namespace Pipeline.Calculators.Bars;

/// <summary>state/bars_1m/{exchange}/perps/{instId}.state.json: raw cursor, pending minutes, outputs.</summary>
public sealed class BarsState
{
    public int Version { get; set; } = 1;
    public string Exchange { get; set; } = "";
    public string InstId { get; set; } = "";

    /// <summary>Raw day being read and the byte offset (JSONL) or row (Parquet) of the next line.</summary>
    public RawCursor? Input { get; set; }

    /// <summary>The output file and its committed length: the exactly-once truncation point.</summary>
    public OutputPosition? Output { get; set; }

    /// <summary>The next minute to emit (Unix ms); earlier minutes are final and written.</summary>
    public long? NextMinute { get; set; }

    public decimal? LastClose { get; set; }
    public long Minutes { get; set; }
    public long Trades { get; set; }

    /// <summary>Trades that arrived for a minute already emitted (skipped; recalc picks them up).</summary>
    public long LateTrades { get; set; }

    public long? LastLateTs { get; set; }

    /// <summary>Lines that are not valid trades, or whose ts is outside their day file.</summary>
    public long BadLines { get; set; }

    /// <summary>Valid lines of another exchange or instrument than their file's (skipped, each logged with file@offset).</summary>
    public long ForeignLines { get; set; }

    /// <summary>Lines repeating a trade id already read (counted once: the repeat is skipped).</summary>
    public long DuplicateTrades { get; set; }

    /// <summary>The last trade ids read, oldest first, as runs of consecutive ids (the bounded duplicate window, see TradeIdWindow).</summary>
    public List<TradeIdRun> RecentTradeIds { get; set; } = [];

    /// <summary>The highest trade id read (-1: none); ids above it are new without a lookup.</summary>
    public long MaxTradeId { get; set; } = -1;

    /// <summary>Minutes read but not final yet.</summary>
    public List<PendingMinute> Pending { get; set; } = [];

    /// <summary>The last 4 seconds of the last emitted minute (for maxMove5sBps across the minute edge).</summary>
    public SecondsTail? Tail { get; set; }

    /// <summary>The last closed day and its length when closed: growth later is counted as late.</summary>
    public RawCursor? LastClosed { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class PendingMinute
{
    public long Minute { get; set; }
    public decimal Open { get; set; }
    public decimal High { get; set; }
    public decimal Low { get; set; }
    public decimal Close { get; set; }
    public long OpenTs { get; set; }
    public long CloseTs { get; set; }
    public string? OpenId { get; set; }
    public string? CloseId { get; set; }
    public long Trades { get; set; }
    public decimal VolBase { get; set; }
    public decimal VolQuote { get; set; }
    public decimal BuyVol { get; set; }
    public decimal SellVol { get; set; }
    public decimal SumPx2Qty { get; set; }
    public List<SecondRange> Seconds { get; set; } = [];
}

public sealed record SecondRange(int Second, decimal Max, decimal Min);

public sealed class SecondsTail
{
    public long Minute { get; set; }
    public List<SecondRange> Seconds { get; set; } = [];
}
