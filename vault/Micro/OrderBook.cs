using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Micro;

/// <summary>
/// An L2 book built from <see cref="BookRecord"/> lines: a snapshot replaces it, an update sets each changed level's
/// size (size zero removes the level), a resync makes it unknown. Prices are ordered by exact decimal value and kept as
/// the exchange's strings, so the book reads back exactly what was sent. Shared by the recorders (checksums), the
/// reconstruction (<c>pipeline book</c>), the simulator's truth and the indicators.
/// </summary>
public sealed class OrderBook
{
    private static readonly Comparer<decimal> Descending = Comparer<decimal>.Create((a, b) => b.CompareTo(a));

    private readonly SortedDictionary<decimal, BookLevel> _bids = new(Descending);
    private readonly SortedDictionary<decimal, BookLevel> _asks = new();

    /// <summary>False before the first snapshot and after a resync: no update may be applied then.</summary>
    public bool IsKnown { get; private set; }

    /// <summary>The sequence of the last line applied (null when unknown or the line had none).</summary>
    public long? Seq { get; private set; }

    /// <summary>Event time of the last line applied, Unix ms.</summary>
    public long Ts { get; private set; }

    public int BidCount => _bids.Count;
    public int AskCount => _asks.Count;

    /// <summary>Applies one line: snapshot (replace), update (change levels; throws when the book is unknown), resync (unknown).</summary>
    public void Apply(BookRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        switch (line.Type)
        {
            case BookRecordType.Snapshot:
                _bids.Clear();
                _asks.Clear();
                Set(_bids, line.Bids);
                Set(_asks, line.Asks);
                IsKnown = true;
                break;
            case BookRecordType.Update:
                if (!IsKnown)
                {
                    throw new InvalidOperationException($"an update (seq {line.Seq}) cannot apply to an unknown book: a snapshot must come first");
                }

                Set(_bids, line.Bids);
                Set(_asks, line.Asks);
                break;
            case BookRecordType.Resync:
                _bids.Clear();
                _asks.Clear();
                IsKnown = false;
                Seq = null;
                Ts = line.Ts;
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(line), line.Type, "not a book line type");
        }

        Seq = line.Seq;
        Ts = line.Ts;
    }

    /// <summary>The best <paramref name="depth"/> bids, best (highest) first.</summary>
    public IReadOnlyList<BookLevel> Bids(int depth = int.MaxValue) => _bids.Values.Take(depth).ToList();

    /// <summary>The best <paramref name="depth"/> asks, best (lowest) first.</summary>
    public IReadOnlyList<BookLevel> Asks(int depth = int.MaxValue) => _asks.Values.Take(depth).ToList();

    /// <summary>The best bid, or null when that side is empty.</summary>
    public BookLevel? BestBid => _bids.Count == 0 ? null : _bids.First().Value;

    /// <summary>The best ask, or null when that side is empty.</summary>
    public BookLevel? BestAsk => _asks.Count == 0 ? null : _asks.First().Value;

    /// <summary>A copy of the current book as a snapshot line (for truth files and comparisons).</summary>
    public BookRecord ToSnapshot(string exchange, string instId, long recvTs, string src, int depth = int.MaxValue) => new()
    {
        Exchange = exchange, InstId = instId, Type = BookRecordType.Snapshot, Ts = Ts, Seq = Seq,
        Bids = Bids(depth), Asks = Asks(depth), RecvTs = recvTs, Src = src,
    };

    private static void Set(SortedDictionary<decimal, BookLevel> side, IReadOnlyList<BookLevel> levels)
    {
        foreach (var level in levels)
        {
            var px = ExactDecimal.Parse(level.Px);
            if (ExactDecimal.Parse(level.Sz) == 0m)
            {
                side.Remove(px);
            }
            else
            {
                side[px] = level;
            }
        }
    }
}
