namespace Pipeline.Exporter.Micro;

/// <summary>
/// One book update as sent, held for the allocation-free hot path (<see cref="IMicroProtocol.TryReadBookUpdate"/> →
/// <see cref="IBookSequencer.TryContinue"/> → <see cref="BookUpdateLine"/>): the instrument, the sequence numbers, and
/// each side's levels already laid out as the line's JSON (<c>["px","sz"],["px","sz"]</c>, the price and size the
/// exact UTF-8 bytes of the frame), so writing the line copies each side at once. The buffers are reused for every
/// frame and grow only past the largest update seen: nothing is allocated per update.
/// </summary>
public sealed class BookUpdate
{
    /// <summary>A venue's reader of one JSON frame into a cleared update; false leaves the frame to the record path.</summary>
    public delegate bool FrameReader(ReadOnlySpan<byte> frame, BookUpdate update);

    /// <summary>The longest instrument name the hot path takes (longer ones take the record path).</summary>
    public const int MaxInstIdLength = 64;

    /// <summary>Bytes a side holds without growing: 256 levels of 24-character prices and sizes, more than a busy 100 ms diff brings.</summary>
    private const int InitialSideBytes = 256 * 56;

    private readonly byte[] _instId = new byte[MaxInstIdLength];
    private byte[] _bids = new byte[InitialSideBytes];
    private byte[] _asks = new byte[InitialSideBytes];
    private int _instIdLength;
    private int _bidsLength;
    private int _asksLength;

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

    /// <summary>The bids as the line's array elements, without the brackets: <c>["px","sz"],["px","sz"]</c>.</summary>
    public ReadOnlySpan<byte> BidsJson => _bids.AsSpan(0, _bidsLength);

    /// <summary>The asks, laid out as <see cref="BidsJson"/>.</summary>
    public ReadOnlySpan<byte> AsksJson => _asks.AsSpan(0, _asksLength);

    /// <summary>
    /// The instrument as UTF-16 into <paramref name="destination"/> (at least <see cref="MaxInstIdLength"/> long), for a
    /// lookup by span in a string-keyed table; -1 when the destination is too short.
    /// </summary>
    public int InstIdChars(Span<char> destination) =>
        destination.Length < MaxInstIdLength ? -1 : System.Text.Encoding.UTF8.GetChars(InstId, destination);

    /// <summary>Forgets the previous update (the buffers stay).</summary>
    public void Clear()
    {
        _instIdLength = 0;
        _bidsLength = 0;
        _asksLength = 0;
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

    /// <summary>
    /// Adds a level (bid or ask) in the order sent. The price and size must be plain decimals (digits and '.'), as the
    /// venue readers check: they go into the line as they are, with no escaping.
    /// </summary>
    public void AddLevel(bool bid, ReadOnlySpan<byte> px, ReadOnlySpan<byte> sz)
    {
        ref var side = ref bid ? ref _bids : ref _asks;
        ref var length = ref bid ? ref _bidsLength : ref _asksLength;
        var needed = length + px.Length + sz.Length + 8;
        if (needed > side.Length)
        {
            Array.Resize(ref side, Math.Max(side.Length * 2, needed));
        }

        var span = side.AsSpan(length);
        var n = 0;
        if (length > 0)
        {
            span[n++] = (byte)',';
        }

        span[n++] = (byte)'[';
        span[n++] = (byte)'"';
        px.CopyTo(span[n..]);
        n += px.Length;
        span[n++] = (byte)'"';
        span[n++] = (byte)',';
        span[n++] = (byte)'"';
        sz.CopyTo(span[n..]);
        n += sz.Length;
        span[n++] = (byte)'"';
        span[n++] = (byte)']';
        length += n;
        if (bid)
        {
            BidCount++;
        }
        else
        {
            AskCount++;
        }
    }

    /// <summary>
    /// Clears <paramref name="update"/> and reads <paramref name="frame"/> with the venue's <paramref name="read"/>: a
    /// frame that is not a JSON object ("pong") or not valid JSON is false without a thrown exception reaching the
    /// caller (the record path then says what is wrong). A static method group is cached, so nothing is allocated.
    /// </summary>
    public static bool TryReadJson(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update, FrameReader read)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(read);
        update.Clear();
        update.RecvTs = recvTs;
        if (frame.IsEmpty || frame[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            return read(frame, update);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
