using System.Text.Json.Serialization;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.BookDepth;

/// <summary>
/// The L2 book (built from the recorded book lines by <see cref="OrderBook"/>) and what the indicator reads from it:
/// top-of-book imbalance and the size resting within N basis points of the mid. The book is persisted as a snapshot
/// (<see cref="Bids"/>, <see cref="Asks"/>), so a restored state continues exactly where it stopped.
/// </summary>
public sealed class BookDepthState
{
    private OrderBook? _book;

    /// <summary>Persisted copy of the book (written by <see cref="Save"/>); the live book is rebuilt from it on first use.</summary>
    public List<BookLevel> Bids { get; set; } = [];
    public List<BookLevel> Asks { get; set; } = [];
    public bool Known { get; set; }
    public long? Seq { get; set; }
    public long Ts { get; set; }

    /// <summary>Resync lines in the current minute and book lines that could not apply (an update to an unknown book).</summary>
    public long MinuteResyncs { get; set; }
    public long SkippedLines { get; set; }

    [JsonIgnore]
    public OrderBook Book => _book ??= Restore();

    /// <summary>One book line: snapshot, update or resync. An update while the book is unknown is skipped and counted.</summary>
    public void OnBook(BookRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Type == BookRecordType.Resync)
        {
            MinuteResyncs++;
        }
        else if (line.Type == BookRecordType.Update && !Book.IsKnown)
        {
            SkippedLines++;
            return;
        }

        Book.Apply(line);
    }

    /// <summary>Copies the live book into the persisted fields (before the state file is written).</summary>
    public void Save()
    {
        if (_book is null)
        {
            return;
        }

        Bids = [.. _book.Bids()];
        Asks = [.. _book.Asks()];
        Known = _book.IsKnown;
        Seq = _book.Seq;
        Ts = _book.Ts;
    }

    /// <summary>(best bid size − best ask size)/(sum); null when the book is unknown or a side is empty.</summary>
    public decimal? TopImbalance()
    {
        if (!Book.IsKnown || Book.BestBid is not { } bid || Book.BestAsk is not { } ask)
        {
            return null;
        }

        var b = ExactDecimal.Parse(bid.Sz);
        var a = ExactDecimal.Parse(ask.Sz);
        return (b - a) / (b + a);
    }

    /// <summary>Mid price (best bid + best ask)/2; null when the book is unknown or a side is empty.</summary>
    public decimal? Mid() =>
        Book.IsKnown && Book.BestBid is { } bid && Book.BestAsk is { } ask ? (ExactDecimal.Parse(bid.Px) + ExactDecimal.Parse(ask.Px)) / 2 : null;

    /// <summary>
    /// Σ size of the bids with price ≥ mid·(1 − bps/10⁴) and of the asks with price ≤ mid·(1 + bps/10⁴); null when
    /// the book is unknown or a side is empty.
    /// </summary>
    public (decimal Bid, decimal Ask)? DepthWithin(decimal bps)
    {
        if (Mid() is not { } mid)
        {
            return null;
        }

        var low = mid * (1 - (bps / 10_000m));
        var high = mid * (1 + (bps / 10_000m));
        var bidDepth = 0m;
        foreach (var level in Book.Bids())
        {
            var px = ExactDecimal.Parse(level.Px);
            if (px < low)
            {
                break;
            }

            bidDepth += ExactDecimal.Parse(level.Sz);
        }

        var askDepth = 0m;
        foreach (var level in Book.Asks())
        {
            var px = ExactDecimal.Parse(level.Px);
            if (px > high)
            {
                break;
            }

            askDepth += ExactDecimal.Parse(level.Sz);
        }

        return (bidDepth, askDepth);
    }

    private OrderBook Restore()
    {
        var book = new OrderBook();
        if (Known)
        {
            book.Apply(new BookRecord
            {
                Exchange = "", InstId = "", Type = BookRecordType.Snapshot, Ts = Ts, Seq = Seq, Bids = Bids, Asks = Asks, RecvTs = Ts, Src = "state",
            });
        }

        return book;
    }
}
