using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;

namespace Pipeline.Simulator.Okx;

/// <summary>
/// An OKX v5 public WebSocket: /ws/v5/public serves <c>trades</c> (one message per taker order and
/// price, with count and tradeId = last fill) and the microstructure channels <c>books</c> (snapshot, then updates),
/// <c>bbo-tbt</c>, <c>mark-price</c>, <c>funding-rate</c>, <c>open-interest</c> (by instId), <c>index-tickers</c> (by index) and <c>liquidation-orders</c>
/// (by instType SWAP); /ws/v5/business serves <c>trades-all</c> (one message per fill). Subscribe/unsubscribe acks, 60018 for a channel on the wrong path or an unknown instId,
/// 60012 for a bad request, text ping → pong, close 4004 after the idle timeout.
/// </summary>
public sealed class OkxSocket : SimSocket
{
    public const string TradesChannel = "trades";
    public const string TradesAllChannel = "trades-all";

    private readonly bool _business;
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly HashSet<(string InstId, MicroChannel Channel)> _micro = [];
    private readonly object _gate = new();

    public OkxSocket(WebSocket socket, SimulatorContext context, ConnectionFaults faults, string connId, bool business)
        : base(socket, context, faults, connId)
    {
        _business = business;
    }

    private string Channel => _business ? TradesAllChannel : TradesChannel;

    protected override TimeSpan? IdleTimeout => Context.Options.OkxIdleTimeout;

    protected override (WebSocketCloseStatus Status, string Reason) IdleClose =>
        ((WebSocketCloseStatus)4004, $"No data received in {Context.Options.OkxIdleTimeout.TotalSeconds:0.###}s");

    public override string Exchange => SimInstruments.Okx;

    protected override void OnText(ReadOnlySpan<byte> message)
    {
        if (message.SequenceEqual("ping"u8))
        {
            Reply("pong"u8.ToArray());
            Context.CountPing();
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(message.ToArray());
            var root = doc.RootElement;
            var id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()
                : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                Error(id, "60012", "Invalid request: " + Encoding.UTF8.GetString(message));
                return;
            }

            var operation = op.GetString();
            if (operation is not ("subscribe" or "unsubscribe"))
            {
                Error(id, "60012", "Invalid request: " + Encoding.UTF8.GetString(message));
                return;
            }

            if (!root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array || args.GetArrayLength() == 0)
            {
                Error(id, "60012", "Invalid request: " + Encoding.UTF8.GetString(message));
                return;
            }

            foreach (var arg in args.EnumerateArray())
            {
                var channel = arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty("channel", out var c) ? c.GetString() : null;
                var instId = arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty("instId", out var i) ? i.GetString() : null;
                var instType = arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty("instType", out var t) ? t.GetString() : null;
                var micro = _business || channel is null || Context.Micro is null ? null : MicroWire.FromOkxChannel(channel);
                if (micro == MicroChannel.Liquidations)
                {
                    // liquidation-orders is subscribed by instType and carries every instrument of that type.
                    if (instType != "SWAP")
                    {
                        Error(id, "60018",
                            $"Wrong URL or channel:{channel},instType:{instType} doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
                        continue;
                    }

                    if (operation == "subscribe")
                    {
                        Reply(Ack(id, operation, channel!, "instType", instType));
                    }

                    foreach (var market in Context.Exchange(SimInstruments.Okx))
                    {
                        SetMicro(operation, market.Instrument.InstId, MicroChannel.Liquidations);
                    }

                    if (operation != "subscribe")
                    {
                        Reply(Ack(id, operation, channel!, "instType", instType));
                    }

                    continue;
                }

                if (channel is null || instId is null)
                {
                    Error(id, "60012", "Invalid request: " + Encoding.UTF8.GetString(message));
                    continue;
                }

                if (micro == MicroChannel.IndexTickers)
                {
                    // index-tickers is keyed by the index (an instrument's family, BTC-USDT): every instrument on it publishes it.
                    var markets = Context.Exchange(SimInstruments.Okx).Where(m => m.Instrument.Family == instId).ToList();
                    if (markets.Count == 0)
                    {
                        Error(id, "60018",
                            $"Wrong URL or channel:{channel},instId:{instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
                        continue;
                    }

                    if (operation == "subscribe")
                    {
                        Reply(Ack(id, operation, channel, "instId", instId));
                    }

                    foreach (var market in markets)
                    {
                        SetMicro(operation, market.Instrument.InstId, MicroChannel.IndexTickers);
                    }

                    if (operation != "subscribe")
                    {
                        Reply(Ack(id, operation, channel, "instId", instId));
                    }

                    continue;
                }

                if ((micro is null && channel != Channel) || Context.Find(SimInstruments.Okx, instId) is null)
                {
                    Error(id, "60018",
                        $"Wrong URL or channel:{channel},instId:{instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
                    continue;
                }

                if (micro is { } microChannel)
                {
                    // The ack first, then (books) the snapshot, as OKX sends them.
                    if (operation == "subscribe")
                    {
                        Reply(Ack(id, operation, channel, "instId", instId));
                        SetMicro(operation, instId, microChannel);
                    }
                    else
                    {
                        SetMicro(operation, instId, microChannel);
                        Reply(Ack(id, operation, channel, "instId", instId));
                    }

                    continue;
                }

                lock (_gate)
                {
                    if (operation == "subscribe")
                    {
                        _subscribed.Add(instId);
                        Context.Feed.Subscribe(instId, this);
                    }
                    else
                    {
                        _subscribed.Remove(instId);
                        Context.Feed.Unsubscribe(instId, this);
                    }
                }

                Reply(Ack(id, operation, channel, "instId", instId));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            Error(null, "60012", "Invalid request: " + Encoding.UTF8.GetString(message));
        }
    }

    protected override async ValueTask SendBatchAsync(LiveBatch batch, ArrayBufferWriter<byte> buffer, CancellationToken token)
    {
        var instrument = batch.Block.Instrument;
        lock (_gate)
        {
            if (!_subscribed.Contains(instrument.InstId))
            {
                return; // unsubscribed while queued
            }
        }

        for (var i = batch.PrintStart; i < batch.PrintEnd; i++)
        {
            var print = batch.Block.Prints.Span[i];
            if (_business)
            {
                for (var k = print.FillStart; k < print.FillStart + print.FillCount; k++)
                {
                    buffer.ResetWrittenCount();
                    WriteTradesAll(buffer, instrument, batch.Block.Fills.Span[k]);
                    await SendDataAsync(buffer.WrittenMemory, token);
                }
            }
            else
            {
                buffer.ResetWrittenCount();
                WriteTrades(buffer, instrument, print);
                await SendDataAsync(buffer.WrittenMemory, token);
            }
        }
    }

    /// <summary>A <c>trades-all</c> push: one fill, every field a string.</summary>
    public static void WriteTradesAll(IBufferWriter<byte> output, SimInstrument instrument, SimFill fill)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        output.Raw("{\"arg\":{\"channel\":\"trades-all\",\"instId\":\""u8);
        output.Ascii(instrument.InstId);
        output.Raw("\"},\"data\":[{\"instId\":\""u8);
        output.Ascii(instrument.InstId);
        output.Raw("\",\"tradeId\":\""u8);
        output.WholeNumber(fill.Id);
        output.Raw("\",\"px\":\""u8);
        output.Number(fill.PriceUnits, instrument.PriceScale, trim: true);
        output.Raw("\",\"sz\":\""u8);
        output.Number(fill.SizeUnits, instrument.SizeScale, trim: true);
        output.Raw(fill.Buy ? "\",\"side\":\"buy\",\"source\":\"0\",\"ts\":\""u8 : "\",\"side\":\"sell\",\"source\":\"0\",\"ts\":\""u8);
        output.WholeNumber(fill.Ts);
        output.Raw("\"}]}"u8);
    }

    /// <summary>A <c>trades</c> push: one taker order at one price; tradeId = last fill, count = fills, seqId an integer.</summary>
    public static void WriteTrades(IBufferWriter<byte> output, SimInstrument instrument, SimPrint print)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        output.Raw("{\"arg\":{\"channel\":\"trades\",\"instId\":\""u8);
        output.Ascii(instrument.InstId);
        output.Raw("\"},\"data\":[{\"instId\":\""u8);
        output.Ascii(instrument.InstId);
        output.Raw("\",\"tradeId\":\""u8);
        output.WholeNumber(print.LastId);
        output.Raw("\",\"px\":\""u8);
        output.Number(print.PriceUnits, instrument.PriceScale, trim: true);
        output.Raw("\",\"sz\":\""u8);
        output.Number(print.SizeUnits, instrument.SizeScale, trim: true);
        output.Raw(print.Buy ? "\",\"side\":\"buy\",\"ts\":\""u8 : "\",\"side\":\"sell\",\"ts\":\""u8);
        output.WholeNumber(print.Ts);
        output.Raw("\",\"count\":\""u8);
        output.WholeNumber(print.FillCount);
        output.Raw("\",\"source\":\"0\",\"seqId\":"u8);
        output.WholeNumber(print.Ordinal);
        output.Raw("}]}"u8);
    }

    private void SetMicro(string operation, string instId, MicroChannel channel)
    {
        lock (_gate)
        {
            if (operation == "subscribe")
            {
                if (_micro.Add((instId, channel)))
                {
                    Context.Micro!.Subscribe(instId, channel, this);
                }
            }
            else if (_micro.Remove((instId, channel)))
            {
                Context.Micro!.Unsubscribe(instId, channel, this);
            }
        }
    }

    protected override ValueTask SendMicroAsync(MicroFrame frame, ArrayBufferWriter<byte> buffer, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            if (!_micro.Contains((frame.InstId, frame.Channel)))
            {
                return ValueTask.CompletedTask; // unsubscribed while queued
            }
        }

        return SendDataAsync(frame.Payload, token);
    }

    private string Ack(string? id, string operation, string channel, string key, string value)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (id is not null)
            {
                w.WriteString("id", id);
            }

            w.WriteString("event", operation);
            w.WriteStartObject("arg");
            w.WriteString("channel", channel);
            w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteString("connId", ConnId);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Error(string? id, string code, string msg)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (id is not null)
            {
                w.WriteString("id", id);
            }

            w.WriteString("event", "error");
            w.WriteString("code", code);
            w.WriteString("msg", msg);
            w.WriteString("connId", ConnId);
            w.WriteEndObject();
        }

        Reply(stream.ToArray());
    }
}
