namespace Pipeline.Exporter.Micro;

/// <summary>
/// One book update as sent, held for the allocation-free hot path (<see cref="IMicroProtocol.TryReadBookUpdate"/> →
/// <see cref="IBookSequencer.TryContinue"/> → <see cref="BookUpdateLine"/>): the instrument and every level's price
/// and size as the exact UTF-8 bytes of the frame, copied into a buffer reused for every frame, and the sequence
/// numbers. The buffers grow to the largest update seen and are then reused: nothing is allocated per update.
/// </summary>
public sealed class BookUpdate
{
    /// <summary>Levels a side held without growing: more than a busy 100 ms diff brings (the simulator's largest are ~100).</summary>
    private const int InitialLevels = 256;

    private readonly byte[] _instId = new byte[MaxInstIdLength];
    private byte[] _text = new byte[InitialLevels * 2 * 32];
    private int _textLength;
    private int _instIdLength;
    private int[] _bids = new int[4 * InitialLevels];
    private int[] _asks = new int[4 * InitialLevels];

    /// <summary>Exchange event time, Unix ms.</summary>
    public long Ts { get; set; }

    /// <summary>This state's sequence (OKX seqId, Binance u).</summary>
    public long Seq { get; set; }

    /// <summary>The sequence this update follows (OKX prevSeqId, Binance pu).</summary>
    public long PrevSeq { get; set; }

    /// <summary>Binance U; null for OKX.</summary>
    public long? FirstSeq { get; set; }

    /// <summary>Local receive time, Unix ms.</summary>
    public long RecvTs { get; set; }

    public int BidCount { get; private set; }

    public int AskCount { get; private set; }

    /// <summary>The instrument as sent (UTF-8).</summary>
    public ReadOnlySpan<byte> InstId => _instId.AsSpan(0, _instIdLength);

    /// <summary>The longest instrument name the hot path takes (longer ones take the record path).</summary>
    public const int MaxInstIdLength = 64;

    /// <summary>
    /// The instrument as UTF-16 into <paramref name="destination"/> (at least <see cref="MaxInstIdLength"/> long), for a
    /// lookup by span in a string-keyed table; -1 when it is too long.
    /// </summary>
    public int InstIdChars(Span<char> destination) =>
        destination.Length < MaxInstIdLength ? -1 : System.Text.Encoding.UTF8.GetChars(InstId, destination);

    /// <summary>Forgets the previous update (the buffers stay).</summary>
    public void Clear()
    {
        _textLength = 0;
        _instIdLength = 0;
        BidCount = 0;
        AskCount = 0;
        FirstSeq = null;
        Ts = Seq = PrevSeq = RecvTs = 0;
    }

    /// <summary>Sets the instrument; false when it is longer than <see cref="MaxInstIdLength"/> (the record path takes it).</summary>
    public bool SetInstId(ReadOnlySpan<byte> instId)
    {
        if (instId.Length > MaxInstIdLength)
        {
            return false;
        }

        instId.CopyTo(_instId);
        _instIdLength = instId.Length;
        return true;
    }

    /// <summary>Adds a level (bid or ask) in the order sent.</summary>
    public void AddLevel(bool bid, ReadOnlySpan<byte> px, ReadOnlySpan<byte> sz)
    {
        ref var slots = ref bid ? ref _bids : ref _asks;
        var count = bid ? BidCount : AskCount;
        if ((count + 1) * 4 > slots.Length)
        {
            Array.Resize(ref slots, slots.Length * 2);
        }

        var at = count * 4;
        slots[at] = _textLength;
        slots[at + 1] = Append(px);
        slots[at + 2] = _textLength;
        slots[at + 3] = Append(sz);
        if (bid)
        {
            BidCount++;
        }
        else
        {
            AskCount++;
        }
    }

    public ReadOnlySpan<byte> BidPx(int i) => Slice(_bids, i, 0);

    public ReadOnlySpan<byte> BidSz(int i) => Slice(_bids, i, 2);

    public ReadOnlySpan<byte> AskPx(int i) => Slice(_asks, i, 0);

    public ReadOnlySpan<byte> AskSz(int i) => Slice(_asks, i, 2);

    private ReadOnlySpan<byte> Slice(int[] slots, int i, int field) => _text.AsSpan(slots[(i * 4) + field], slots[(i * 4) + field + 1]);

    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_textLength + bytes.Length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + bytes.Length));
        }

        bytes.CopyTo(_text.AsSpan(_textLength));
        _textLength += bytes.Length;
        return bytes.Length;
    }
}
