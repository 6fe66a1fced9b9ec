using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Parses Binance USD-M aggTrade pushes (combined <c>{"stream","data"}</c> or raw), subscribe results
/// and errors, and REST /fapi/v1/aggTrades pages (PROTOCOLS 2.3, 2.4) with <see cref="Utf8JsonReader"/>.
/// <c>T</c> is the event time, <c>a</c> the id, <c>m=true</c> means the taker sold.
/// </summary>
public sealed class BinanceFrameParser
{
    private readonly byte[][] _symbols;
    private readonly TradeBatch _batch = new();

    public BinanceFrameParser(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Symbols = symbols;
        _symbols = [.. symbols.Select(Encoding.UTF8.GetBytes)];
    }

    public IReadOnlyList<string> Symbols { get; }

    public int Count => _batch.Count;

    public ReadOnlySpan<TradeItem> Items => _batch.Items;

    public int InstrumentOf(int i) => _batch.InstrumentOf(i);

    public string? Error { get; private set; }

    /// <summary>Instrument named by the frame (stream or s), -1 when unknown: attributes a rejected frame.</summary>
    public int FrameInstrument { get; private set; }

    /// <summary>A WebSocket frame: combined stream wrapper, raw event, or a method reply.</summary>
    public BinanceFrameKind ParseFrame(ReadOnlySpan<byte> frame, long recvTs)
    {
        _batch.Clear();
        Error = null;
        FrameInstrument = -1;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Reject("not a JSON object");
            }

            var isEvent = false;
            var isResult = false;
            BinanceFrameKind? nested = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("data"u8))
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return Reject("data is not an object");
                    }

                    nested = ParseAggTrade(ref reader, recvTs, TradeSource.Ws, -1) ? BinanceFrameKind.Trades : BinanceFrameKind.Malformed;
                    if (nested == BinanceFrameKind.Malformed)
                    {
                        _batch.Clear();
                        return BinanceFrameKind.Malformed;
                    }
                }
                else if (name.SequenceEqual("stream"u8))
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var stream = reader.ValueSpan;
                        var at = stream.IndexOf((byte)'@');
                        FrameInstrument = IndexOfLower(at > 0 ? stream[..at] : stream);
                    }
                }
                else if (name.SequenceEqual("result"u8))
                {
                    isResult = true;
                    reader.Skip();
                }
                else if (name.SequenceEqual("error"u8))
                {
                    Error = reader.TokenType == JsonTokenType.StartObject ? ReadError(ref reader) : "error";
                    return BinanceFrameKind.Error;
                }
                else if (name.SequenceEqual("e"u8))
                {
                    // A raw-mode event: the whole frame is the trade.
                    isEvent = true;
                    break;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (isEvent)
            {
                var raw = new Utf8JsonReader(frame);
                raw.Read();
                if (!ParseAggTrade(ref raw, recvTs, TradeSource.Ws, -1))
                {
                    _batch.Clear();
                    return BinanceFrameKind.Malformed;
                }

                return BinanceFrameKind.Trades;
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return Reject("truncated frame");
            }

            return nested ?? (isResult ? BinanceFrameKind.Result : Reject("neither data, event nor result"));
        }
        catch (JsonException ex)
        {
            return Reject("invalid JSON: " + ex.Message);
        }
    }

    /// <summary>A REST aggTrades page (a JSON array of {a,p,q,f,l,T,m}) for one instrument.</summary>
    public BinanceFrameKind ParseRestPage(ReadOnlySpan<byte> body, int instrument, long recvTs)
    {
        _batch.Clear();
        Error = null;
        FrameInstrument = instrument;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read())
            {
                return Reject("empty body");
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                Error = ReadError(ref reader);
                return BinanceFrameKind.Error;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return Reject("aggTrades answer is not an array");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject || !ParseAggTrade(ref reader, recvTs, TradeSource.Rest, instrument))
                {
                    _batch.Clear();
                    Error ??= "aggTrades row is not an object";
                    return BinanceFrameKind.Malformed;
                }
            }

            return BinanceFrameKind.Trades;
        }
        catch (JsonException ex)
        {
            return Reject("invalid JSON: " + ex.Message);
        }
    }

    private bool ParseAggTrade(ref Utf8JsonReader reader, long recvTs, TradeSource src, int instrument)
    {
        var item = new TradeItem { Kind = TradeItemKind.Trade, Src = src, RecvTs = recvTs, FirstId = -1, LastId = -1 };
        bool hasId = false, hasTs = false, hasSide = false, hasPx = false, hasSz = false, isAggTrade = true;
        scoped ReadOnlySpan<byte> px = default;
        scoped ReadOnlySpan<byte> sz = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.Length != 1)
            {
                reader.Skip();
                continue;
            }

            switch (name[0])
            {
                case (byte)'e':
                    isAggTrade = reader.TokenType == JsonTokenType.String && reader.ValueSpan.SequenceEqual("aggTrade"u8);
                    break;
                case (byte)'s':
                    if (reader.TokenType != JsonTokenType.String || (instrument = IndexOf(reader.ValueSpan)) < 0)
                    {
                        return Fail(reader.TokenType == JsonTokenType.String ? "unknown symbol " + reader.GetString() : "s is not a string");
                    }

                    break;
                case (byte)'a':
                    hasId = TradeFields.TryLong(ref reader, out item.Id);
                    if (!hasId)
                    {
                        return Fail("a is not a numeric id");
                    }

                    break;
                case (byte)'p':
                    hasPx = TradeFields.IsPositiveDecimal(reader);
                px = reader.ValueSpan;
                    if (!hasPx)
                    {
                        return Fail("p is not a positive plain decimal string");
                    }

                    break;
                case (byte)'q':
                    hasSz = TradeFields.IsPositiveDecimal(reader);
                sz = reader.ValueSpan;
                    if (!hasSz)
                    {
                        return Fail("q is not a positive plain decimal string");
                    }

                    break;
                case (byte)'f':
                    if (!TradeFields.TryLong(ref reader, out item.FirstId))
                    {
                        return Fail("f is not a numeric id");
                    }

                    break;
                case (byte)'l':
                    if (!TradeFields.TryLong(ref reader, out item.LastId))
                    {
                        return Fail("l is not a numeric id");
                    }

                    break;
                case (byte)'T':
                    hasTs = TradeFields.TryLong(ref reader, out item.Ts) && item.Ts > 0;
                    if (!hasTs)
                    {
                        return Fail("T is not a ms timestamp");
                    }

                    break;
                case (byte)'m':
                    hasSide = reader.TokenType is JsonTokenType.True or JsonTokenType.False;
                    if (!hasSide)
                    {
                        return Fail("m is not a boolean");
                    }

                    item.Sell = reader.TokenType == JsonTokenType.True; // buyer is maker: the taker sold
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Fail("truncated trade");
        }

        if (!isAggTrade)
        {
            return Fail("event is not aggTrade");
        }

        if (instrument < 0 && FrameInstrument >= 0)
        {
            instrument = FrameInstrument;
        }

        if (instrument < 0 || !hasId || !hasTs || !hasSide || !hasPx || !hasSz)
        {
            return Fail("aggTrade lacks " + (instrument < 0 ? "s" : !hasId ? "a" : !hasTs ? "T" : !hasSide ? "m" : !hasPx ? "p" : "q"));
        }

        if (!item.SetPxSz(px, sz))
        {
            return Fail("p or q longer than 32 characters");
        }

        _batch.Add(item, instrument);
        return true;
    }

    private static string ReadError(ref Utf8JsonReader reader)
    {
        string? code = null, msg = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "code")
            {
                code = reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetString();
            }
            else if (name == "msg")
            {
                msg = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return $"code {code}: {msg}";
    }

    private int IndexOf(ReadOnlySpan<byte> symbol)
    {
        for (var i = 0; i < _symbols.Length; i++)
        {
            if (symbol.SequenceEqual(_symbols[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOfLower(ReadOnlySpan<byte> lower)
    {
        for (var i = 0; i < _symbols.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(lower, _symbols[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private bool Fail(string reason)
    {
        Error = reason;
        return false;
    }

    private BinanceFrameKind Reject(string reason)
    {
        _batch.Clear();
        Error = reason;
        return BinanceFrameKind.Malformed;
    }
}
