using System.Text.Json;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX v5 public microstructure channels (PROTOCOL.md, "Microstructure"): <c>bbo-tbt</c> → quotes, <c>books</c> →
/// book (snapshot, then updates chained by seqId/prevSeqId, CRC32 checksum), <c>liquidation-orders</c> (instType
/// SWAP, filtered to the subscribed instruments) → liquidations, <c>mark-price</c>/<c>funding-rate</c>/<c>open-interest</c>
/// and <c>index-tickers</c> (by index: <see cref="OkxIndexTickers"/>) → derivatives. All on /ws/v5/public (<see cref="OkxMicroChannels.UrlFor"/>). Decimals stay the strings sent; a
/// frame with any invalid row is rejected whole with the reason (the recorder quarantines it).
/// </summary>
public sealed class OkxMicroProtocol : IMicroProtocol
{
    private const string Ws = "ws";
    private readonly HashSet<string> _instIds;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _instIdsBySpan;

    /// <summary>The recorded swaps of each index (index-tickers), worked out once instead of on every push.</summary>
    private readonly Dictionary<string, List<string>> _swapsByIndex;

    /// <param name="instIds">The instruments recorded: data for others is refused (liquidations: dropped, the channel covers all SWAPs).</param>
    public OkxMicroProtocol(IReadOnlyList<string> instIds)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        _instIds = new HashSet<string>(instIds, StringComparer.Ordinal);
        _instIdsBySpan = _instIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _swapsByIndex = _instIds.Select(id => (Index: OkxIndexTickers.IndexOf(id), Id: id)).Where(p => p.Index is not null)
            .GroupBy(p => p.Index!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Id).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    public string Exchange => OkxVenue.Name;

    /// <summary>The connection's URL: every microstructure channel is on /ws/v5/public (null: not configured).</summary>
    public Uri? WsUrl { get; init; }

    public Uri? Url(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => WsUrl;

    /// <summary>OKX drops a connection silent for 30 s; "ping" is answered with "pong".</summary>
    public string? PingFrame => "ping";

    /// <summary>A new book: unsubscribe and subscribe the instrument's books channel on the same connection (OKX then sends a snapshot).</summary>
    public ValueTask<IReadOnlyList<string>?> RequestSnapshotAsync(string instId, IMicroSink sink, CancellationToken token) =>
        ValueTask.FromResult<IReadOnlyList<string>?>([Request("unsubscribe", OkxMicroChannels.Books, instId), Request("subscribe", OkxMicroChannels.Books, instId)]);

    /// <summary>One subscribe request per kind (id = the kind's name); liquidation-orders once, by instType SWAP.</summary>
    public IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        ArgumentNullException.ThrowIfNull(kinds);
        var frames = new List<string>();
        foreach (var kind in MicroKinds.All.Where(kinds.Contains))
        {
            var args = new List<Dictionary<string, string>>();
            foreach (var channel in OkxMicroChannels.For(kind))
            {
                if (channel == OkxMicroChannels.LiquidationOrders)
                {
                    args.Add(new() { ["channel"] = channel, ["instType"] = OkxMicroChannels.LiquidationInstType });
                    continue;
                }

                var ids = channel == OkxMicroChannels.IndexTickers ? OkxIndexTickers.Indexes(instIds) : instIds;
                args.AddRange(ids.Select(id => new Dictionary<string, string> { ["channel"] = channel, ["instId"] = id }));
            }

            if (args.Count > 0)
            {
                frames.Add(JsonSerializer.Serialize(new { id = MicroKinds.Name(kind), op = "subscribe", args }));
            }
        }

        return frames;
    }

    /// <summary>A subscribe or unsubscribe request for one channel of one instrument (the recorder resubscribes a book after a resync).</summary>
    public static string Request(string op, string channel, string instId) =>
        JsonSerializer.Serialize(new { id = op == "subscribe" ? "resub" : "unsub", op, args = new[] { new Dictionary<string, string> { ["channel"] = channel, ["instId"] = instId } } });

    public IBookSequencer NewBookSequencer(string instId) => new OkxBookSequencer(instId);

    /// <summary>A books update with checksum 0 for a subscribed instrument, read without allocating (<see cref="OkxBookUpdateReader"/>).</summary>
    public bool TryReadBookUpdate(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!OkxBookUpdateReader.TryRead(frame, recvTs, update))
        {
            return false;
        }

        Span<char> instId = stackalloc char[BookUpdate.MaxInstIdLength];
        var length = update.InstIdChars(instId);
        return length > 0 && _instIdsBySpan.Contains(instId[..length]);
    }

    public bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (frame.SequenceEqual("pong"u8))
        {
            problem = null;
            return true;
        }

        var pending = new List<object>();
        try
        {
            problem = ParseFrame(frame, recvTs, pending);
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message;
        }

        if (problem is not null)
        {
            return false;
        }

        foreach (var record in pending)
        {
            switch (record)
            {
                case QuoteRecord quote:
                    sink.Quote(quote);
                    break;
                case BookRecord book:
                    sink.Book(book);
                    break;
                case LiquidationRecord liquidation:
                    sink.Liquidation(liquidation);
                    break;
                case DerivativesRecord derivatives:
                    sink.Derivatives(derivatives);
                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// A REST <c>GET /api/v5/market/books</c> answer as a snapshot line (src rest): OKX's documented way to start a book
    /// once the WebSocket stops sending its initial snapshot (changelog, PROTOCOL.md). Null and the reason when it is not one.
    /// </summary>
    public static BookRecord? ParseRestBook(ReadOnlySpan<byte> body, string instId, long recvTs, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(instId);
        try
        {
            var envelope = OkxMicroEnvelope.Read(body);
            if (envelope.Problem is not null)
            {
                problem = envelope.Problem;
                return null;
            }

            if (envelope.Code is not null and not "0")
            {
                problem = $"OKX error {envelope.Code}: {envelope.Msg}";
                return null;
            }

            if (envelope.DataLength == 0)
            {
                problem = "no data";
                return null;
            }

            var pending = new List<object>();
            problem = ReadRows(body.Slice(envelope.DataStart, envelope.DataLength), pending, (ref Utf8JsonReader r) =>
                OkxMicroRows.ReadBook(ref r, instId, BookRecordType.Snapshot, recvTs, "rest", pending));
            if (problem is null && pending.Count != 1)
            {
                problem = "expected one book, got " + pending.Count;
            }

            return problem is null ? (BookRecord)pending[0] : null;
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message;
            return null;
        }
    }

    /// <summary>The instrument a frame's arg names (to file a refused frame under it), or null (liquidation-orders, events, not JSON).</summary>
    public static string? ArgInstId(ReadOnlySpan<byte> frame)
    {
        try
        {
            return OkxMicroEnvelope.Read(frame).InstId;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private delegate string? RowReader(ref Utf8JsonReader reader);

    private string? ParseFrame(ReadOnlySpan<byte> frame, long recvTs, List<object> pending)
    {
        var envelope = OkxMicroEnvelope.Read(frame);
        if (envelope.Problem is not null)
        {
            return envelope.Problem;
        }

        if (envelope.Event is not null)
        {
            // An error (a refused subscription, an invalid request) is quarantined with the venue's code and message, as
            // Binance's error replies are: a kind the venue refuses must never be missing in silence. Acks, notices: nothing.
            return envelope.Event == "error" ? $"error event: code {envelope.Code ?? "none"}: {envelope.Msg ?? "no message"}" : null;
        }

        if (envelope.DataLength == 0)
        {
            return "neither data nor event";
        }

        var channel = envelope.Channel;
        var data = frame.Slice(envelope.DataStart, envelope.DataLength);
        if (channel == OkxMicroChannels.LiquidationOrders)
        {
            return ReadRows(data, pending, (ref Utf8JsonReader r) => OkxMicroRows.ReadLiquidations(ref r, _instIds, recvTs, pending));
        }

        if (channel == OkxMicroChannels.IndexTickers && envelope.InstId is { } index &&
            _swapsByIndex.TryGetValue(index, out var swaps))
        {
            return ReadRows(data, pending, (ref Utf8JsonReader r) => OkxIndexTickers.ReadRow(ref r, index, swaps, recvTs, pending));
        }

        if (envelope.InstId is not { } instId || !_instIds.Contains(instId))
        {
            return envelope.InstId is null ? "arg lacks instId" : "unknown instId " + envelope.InstId;
        }

        return channel switch
        {
            OkxMicroChannels.BboTbt => ReadRows(data, pending, (ref Utf8JsonReader r) => OkxMicroRows.ReadQuote(ref r, instId, recvTs, pending)),
            OkxMicroChannels.Books => envelope.Action switch
            {
                "snapshot" => ReadRows(data, pending, (ref Utf8JsonReader r) => OkxMicroRows.ReadBook(ref r, instId, BookRecordType.Snapshot, recvTs, Ws, pending)),
                "update" => ReadRows(data, pending, (ref Utf8JsonReader r) => OkxMicroRows.ReadBook(ref r, instId, BookRecordType.Update, recvTs, Ws, pending)),
                null => "books push lacks action",
                var other => $"books action '{other}' is not snapshot or update",
            },
            OkxMicroChannels.MarkPrice or OkxMicroChannels.FundingRate or OkxMicroChannels.OpenInterest =>
                ReadRows(data, pending, (ref Utf8JsonReader r) => OkxMicroRows.ReadDerivatives(ref r, instId, channel, recvTs, pending)),
            null => "arg lacks channel",
            _ => $"unexpected channel '{channel}'",
        };
    }

    /// <summary>Reads each object of the data array with <paramref name="row"/>; the first problem stops it.</summary>
    private static string? ReadRows(ReadOnlySpan<byte> data, List<object> pending, RowReader row)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return "data is not an array";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return "data element is not an object";
            }

            if (row(ref reader) is { } problem)
            {
                pending.Clear();
                return problem;
            }
        }

        return reader.TokenType == JsonTokenType.EndArray ? null : "truncated data";
    }
}
