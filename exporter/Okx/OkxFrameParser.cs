using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// Parses OKX v5 frames with <see cref="Utf8JsonReader"/>: trade pushes of trades-all/trades
/// (PROTOCOLS 1.3, 1.4), subscribe acks, error events (60018 and friends), notices (64008), the text
/// pong, and REST history-trades pages (same row shape). Trades land in a reusable buffer; strings are
/// made only for events. A frame with any invalid trade is rejected whole (reason in
/// <see cref="Error"/>): its ids then show up as a hole, which REST fills.
/// </summary>
public sealed class OkxFrameParser
{
    private readonly byte[][] _instIds;
    private readonly TradeBatch _batch = new();

    public OkxFrameParser(IReadOnlyList<string> instIds)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        InstIds = instIds;
        _instIds = [.. instIds.Select(Encoding.UTF8.GetBytes)];
    }

    public IReadOnlyList<string> InstIds { get; }

    public int Count => _batch.Count;

    public ReadOnlySpan<TradeItem> Items => _batch.Items;

    /// <summary>Index (in <see cref="InstIds"/>) of the instrument of item i.</summary>
    public int InstrumentOf(int i) => _batch.InstrumentOf(i);

    /// <summary>Why the frame was rejected, or the event message.</summary>
    public string? Error { get; private set; }

    public string? EventCode { get; private set; }

    public string? EventChannel { get; private set; }

    public string? EventInstId { get; private set; }

    /// <summary>Index of the instrument named by the frame's arg, or -1 (used to attribute a rejected frame).</summary>
    public int ArgInstrument { get; private set; }

    public OkxFrameKind Parse(ReadOnlySpan<byte> frame, long recvTs, TradeSource src)
    {
        _batch.Clear();
        Error = EventCode = EventChannel = EventInstId = null;
        ArgInstrument = -1;
        if (frame.SequenceEqual("pong"u8))
        {
            return OkxFrameKind.Pong;
        }

        try
        {
            return ParseCore(frame, recvTs, src);
        }
        catch (JsonException ex)
        {
            _batch.Clear();
            Error = "invalid JSON: " + ex.Message;
            return OkxFrameKind.Malformed;
        }
    }

    private OkxFrameKind ParseCore(ReadOnlySpan<byte> frame, long recvTs, TradeSource src)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Reject("not a JSON object");
        }

        var sawData = false;
        ReadOnlySpan<byte> eventName = default;
        string? code = null, msg = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("data"u8))
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return Reject("data is not an array");
                }

                sawData = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return Reject("data element is not an object");
                    }

                    if (!ParseTrade(ref reader, recvTs, src))
                    {
                        _batch.Clear();
                        return OkxFrameKind.Malformed;
                    }
                }
            }
            else if (name.SequenceEqual("arg"u8))
            {
                ParseArg(ref reader);
            }
            else if (name.SequenceEqual("event"u8))
            {
                eventName = reader.TokenType == JsonTokenType.String ? reader.ValueSpan : default;
            }
            else if (name.SequenceEqual("code"u8))
            {
                code = reader.TokenType is JsonTokenType.String or JsonTokenType.Number
                    ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
            }
            else if (name.SequenceEqual("msg"u8))
            {
                msg = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Reject("truncated frame");
        }

        if (!eventName.IsEmpty)
        {
            EventCode = code;
            Error = msg;
            if (eventName.SequenceEqual("subscribe"u8))
            {
                return OkxFrameKind.Subscribed;
            }

            if (eventName.SequenceEqual("unsubscribe"u8))
            {
                return OkxFrameKind.Unsubscribed;
            }

            if (eventName.SequenceEqual("error"u8))
            {
                return OkxFrameKind.Error;
            }

            return eventName.SequenceEqual("notice"u8) ? OkxFrameKind.Notice : OkxFrameKind.Other;
        }

        if (code is not null and not "0")
        {
            // A REST error body: {"code":"51000","msg":"...","data":[]}
            EventCode = code;
            Error = msg;
            return OkxFrameKind.Error;
        }

        return sawData ? OkxFrameKind.Trades : Reject("neither data nor event");
    }

    private void ParseArg(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("instId"u8) && reader.TokenType == JsonTokenType.String)
            {
                ArgInstrument = IndexOf(reader.ValueSpan);
                if (ArgInstrument < 0)
                {
                    EventInstId = reader.GetString();
                }
                else
                {
                    EventInstId = InstIds[ArgInstrument];
                }
            }
            else if (name.SequenceEqual("channel"u8) && reader.TokenType == JsonTokenType.String)
            {
                EventChannel = reader.ValueSpan.SequenceEqual("trades-all"u8) ? "trades-all"
                    : reader.ValueSpan.SequenceEqual("trades"u8) ? "trades" : reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private bool ParseTrade(ref Utf8JsonReader reader, long recvTs, TradeSource src)
    {
        var item = new TradeItem { Kind = TradeItemKind.Trade, Src = src, RecvTs = recvTs, FirstId = -1, LastId = -1 };
        int instrument = -1;
        bool hasId = false, hasTs = false, hasSide = false, hasPx = false, hasSz = false;
        scoped ReadOnlySpan<byte> px = default;
        scoped ReadOnlySpan<byte> sz = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("instId"u8))
            {
                if (reader.TokenType != JsonTokenType.String || (instrument = IndexOf(reader.ValueSpan)) < 0)
                {
                    return Fail(reader.TokenType == JsonTokenType.String
                        ? "unknown instId " + reader.GetString() : "instId is not a string");
                }
            }
            else if (name.SequenceEqual("tradeId"u8))
            {
                hasId = TradeFields.TryLong(ref reader, out item.Id);
                if (!hasId)
                {
                    return Fail("tradeId is not a numeric id");
                }
            }
            else if (name.SequenceEqual("px"u8))
            {
                hasPx = TradeFields.IsPositiveDecimal(reader);
                px = reader.ValueSpan;
                if (!hasPx)
                {
                    return Fail("px is not a positive plain decimal string");
                }
            }
            else if (name.SequenceEqual("sz"u8))
            {
                hasSz = TradeFields.IsPositiveDecimal(reader);
                sz = reader.ValueSpan;
                if (!hasSz)
                {
                    return Fail("sz is not a positive plain decimal string");
                }
            }
            else if (name.SequenceEqual("side"u8))
            {
                hasSide = reader.TokenType == JsonTokenType.String &&
                    (reader.ValueSpan.SequenceEqual("buy"u8) || (item.Sell = reader.ValueSpan.SequenceEqual("sell"u8)));
                if (!hasSide)
                {
                    return Fail("side is not buy or sell");
                }
            }
            else if (name.SequenceEqual("ts"u8))
            {
                hasTs = TradeFields.TryLong(ref reader, out item.Ts) && item.Ts > 0;
                if (!hasTs)
                {
                    return Fail("ts is not a ms timestamp");
                }
            }
            else if (name.SequenceEqual("count"u8))
            {
                if (!TradeFields.TryLong(ref reader, out var count) || count is < 1 or > int.MaxValue)
                {
                    return Fail("count is not a positive integer");
                }

                item.Count = (int)count;
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Fail("truncated trade");
        }

        if (instrument < 0 && ArgInstrument >= 0)
        {
            instrument = ArgInstrument;
        }

        if (instrument < 0 || !hasId || !hasTs || !hasSide || !hasPx || !hasSz)
        {
            return Fail("trade lacks " + (instrument < 0 ? "instId" : !hasId ? "tradeId" : !hasTs ? "ts" : !hasSide ? "side" : !hasPx ? "px" : "sz"));
        }

        if (item.Count > 1 && item.Count > item.Id)
        {
            return Fail("count exceeds tradeId");
        }

        if (!item.SetPxSz(px, sz))
        {
            return Fail("px or sz longer than 32 characters");
        }

        _batch.Add(item, instrument);
        return true;
    }

    private int IndexOf(ReadOnlySpan<byte> instId)
    {
        for (var i = 0; i < _instIds.Length; i++)
        {
            if (instId.SequenceEqual(_instIds[i]))
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

    private OkxFrameKind Reject(string reason)
    {
        _batch.Clear();
        Error = reason;
        return OkxFrameKind.Malformed;
    }
}
