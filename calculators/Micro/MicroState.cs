using Pipeline.Calculators.BookDepth;
using Pipeline.Calculators.MicroPrice;
using Pipeline.Calculators.Ofi;
using Pipeline.Calculators.Raw;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Vpin;

namespace Pipeline.Calculators.Micro;

/// <summary>
/// state/micro/{exchange}/perps/{instId}.state.json: the cursor of the microstructure stage over one raw day (a byte
/// offset per input file: quotes, book, trades), the next minute to write, each output's committed length and every
/// indicator's running state.
/// </summary>
public sealed class MicroState
{
    public int Version { get; set; } = 1;
    public string Exchange { get; set; } = "";
    public string InstId { get; set; } = "";

    /// <summary>The raw day being read, and the offset of the next line in each of its files.</summary>
    public DateOnly? Day { get; set; }
    public long QuotesOffset { get; set; }
    public long BookOffset { get; set; }
    public long TradesOffset { get; set; }

    /// <summary>
    /// The inputs of <see cref="Day"/> ("book", "quotes", "trades") read from their Parquet compaction: their offset
    /// above is a row number, not a byte offset. Empty at a new day.
    /// </summary>
    public List<string> ParquetInputs { get; set; } = [];

    /// <summary>The next minute to write (Unix ms); null until the series' first event.</summary>
    public long? NextMinute { get; set; }

    /// <summary>Each output's day file and committed length, by calculator name.</summary>
    public Dictionary<string, OutputPosition> Outputs { get; set; } = [];

    public long Minutes { get; set; }
    public long Events { get; set; }
    public long BadLines { get; set; }
    public long LateEvents { get; set; }
    public long DuplicateTrades { get; set; }

    public List<TradeIdRun> RecentTradeIds { get; set; } = [];
    public long MaxTradeId { get; set; } = -1;

    public OfiState Ofi { get; set; } = new();
    public MicroPriceState MicroPrice { get; set; } = new();
    public VpinState Vpin { get; set; } = new();
    public BookDepthState Book { get; set; } = new();

    public DateTimeOffset? UpdatedAt { get; set; }
}
