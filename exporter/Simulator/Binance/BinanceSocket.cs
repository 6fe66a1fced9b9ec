using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// A Binance USD-M market-stream WebSocket. Raw mode (/market/ws/&lt;streams&gt;) pushes bare payloads;
/// combined mode (/market/stream?streams=a/b) wraps them as {"stream","data"}. Live SUBSCRIBE,
/// UNSUBSCRIBE and LIST_SUBSCRIPTIONS are answered. Routing (the 2026 change): /market delivers
/// <c>@aggTrade</c>, <c>@markPrice@1s</c> and <c>@forceOrder</c>; /public and the legacy root (/ws, /stream) deliver
/// <c>@bookTicker</c> and <c>@depth@100ms</c>; any other combination is ACKed and never delivered.
/// Only lowercase streams of simulated symbols carry data.
/// </summary>
public sealed class BinanceSocket : SimSocket
{
    private readonly bool _combined;
    private readonly BinanceRoute _route;
    private readonly List<string> _streams = [];
    private readonly Dictionary<string, string> _streamBySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Symbol, MicroChannel Channel), string> _microStreams = [];
    private readonly object _gate = new();

    public BinanceSocket(WebSocket socket, SimulatorContext context, ConnectionFaults faults, string connId,
        bool combined, BinanceRoute route, IEnumerable<string> initialStreams)
        : base(socket, context, faults, connId)
    {
        ArgumentNullException.ThrowIfNull(initialStreams);
        _combined = combined;
        _route = route;
        foreach (var stream in initialStreams)
        {
            Add(stream);
        }
    }

    /// <summary>The simulated symbol a stream name delivers, or null (wrong case, other stream types, unknown symbol).</summary>
    public static string? SymbolOf(SimulatorContext context, string stream)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stream);
        const string suffix = "@aggTrade";
        if (!stream.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var symbol = stream[..^suffix.Length];
        if (symbol.Length == 0 || symbol.Any(char.IsUpper))
        {
            return null;
        }

        var upper = symbol.ToUpperInvariant();
        return context.Find(SimInstruments.Binance, upper) is null ? null : upper;
    }

    /// <summary>The simulated symbol and micro channel of a stream name (<c>btcusdt@depth@100ms</c>), or null.</summary>
    public static (string Symbol, MicroChannel Channel)? MicroOf(SimulatorContext context, string stream)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var channel in Enum.GetValues<MicroChannel>())
        {
            if (MicroWire.BinanceSuffix(channel) is { } suffix && stream.EndsWith(suffix, StringComparison.Ordinal))
            {
                var symbol = stream[..^suffix.Length];
                if (symbol.Length == 0 || symbol.Any(char.IsUpper))
                {
                    return null;
                }

                var upper = symbol.ToUpperInvariant();
                return context.Find(SimInstruments.Binance, upper) is null ? null : (upper, channel);
            }
        }

        return null;
    }

    public override string Exchange => SimInstruments.Binance;

    protected override async ValueTask SendMicroAsync(MicroFrame frame, ArrayBufferWriter<byte> buffer, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(buffer);
        string? stream;
        lock (_gate)
        {
            stream = _microStreams.GetValueOrDefault((frame.InstId, frame.Channel));
        }

        if (stream is null)
        {
            return; // unsubscribed while queued
        }

        if (!_combined)
        {
            await SendDataAsync(frame.Payload, token);
            return;
        }

        buffer.ResetWrittenCount();
        buffer.Raw("{\"stream\":\""u8);
        buffer.Ascii(stream);
        buffer.Raw("\",\"data\":"u8);
        buffer.Raw(frame.Payload);
        buffer.Raw("}"u8);
        await SendDataAsync(buffer.WrittenMemory, token);
    }

    protected override void OnText(ReadOnlySpan<byte> message)
    {
        JsonElement id = default;
        try
        {
            using var doc = JsonDocument.Parse(message.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
            {
                Reply("{\"error\":{\"code\":2,\"msg\":\"Invalid request: missing field `method`\"}}");
                return;
            }

            if (!root.TryGetProperty("id", out id) || id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null))
            {
                Reply("{\"error\":{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}}");
                return;
            }

            var idText = id.GetRawText();
            switch (method.GetString())
            {
                case "SUBSCRIBE":
                case "UNSUBSCRIBE":
                    if (!root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
                    {
                        Reply($"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: missing field `params`\"}},\"id\":{idText}}}");
                        return;
                    }

                    foreach (var p in parameters.EnumerateArray())
                    {
                        if (p.ValueKind != JsonValueKind.String)
                        {
                            Reply($"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: invalid type for `params`\"}},\"id\":{idText}}}");
                            return;
                        }
                    }

                    foreach (var p in parameters.EnumerateArray())
                    {
                        if (method.GetString() == "SUBSCRIBE")
                        {
                            Add(p.GetString()!);
                        }
                        else
                        {
                            Remove(p.GetString()!);
                        }
                    }

                    Reply($"{{\"result\":null,\"id\":{idText}}}");
                    return;
                case "LIST_SUBSCRIPTIONS":
                    string list;
                    lock (_gate)
                    {
                        list = JsonSerializer.Serialize(_streams);
                    }

                    Reply($"{{\"result\":{list},\"id\":{idText}}}");
                    Context.CountPing();
                    return;
                default:
                    Reply($"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: unknown variant `{method.GetString()}`\"}},\"id\":{idText}}}");
                    return;
            }
        }
        catch (JsonException)
        {
            Reply("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 1\"}}");
        }
    }

    protected override async ValueTask SendBatchAsync(LiveBatch batch, ArrayBufferWriter<byte> buffer, CancellationToken token)
    {
        var instrument = batch.Block.Instrument;
        string? stream;
        lock (_gate)
        {
            stream = _streamBySymbol.GetValueOrDefault(instrument.InstId);
        }

        if (stream is null)
        {
            return;
        }

        for (var i = batch.PrintStart; i < batch.PrintEnd; i++)
        {
            buffer.ResetWrittenCount();
            if (_combined)
            {
                buffer.Raw("{\"stream\":\""u8);
                buffer.Ascii(stream);
                buffer.Raw("\",\"data\":"u8);
            }

            WriteAggTrade(buffer, instrument, batch.Block.Prints.Span[i], batch.PublishMs);
            if (_combined)
            {
                buffer.Raw("}"u8);
            }

            await SendDataAsync(buffer.WrittenMemory, token);
        }
    }

    /// <summary>An aggTrade payload: E/T/a/f/l JSON numbers, p/q/nq strings, m = buyer is maker (taker sold).</summary>
    public static void WriteAggTrade(IBufferWriter<byte> output, SimInstrument instrument, SimPrint print, long eventTime)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        output.Raw("{\"e\":\"aggTrade\",\"E\":"u8);
        output.WholeNumber(Math.Max(eventTime, print.Ts));
        output.Raw(",\"s\":\""u8);
        output.Ascii(instrument.InstId);
        output.Raw("\",\"a\":"u8);
        output.WholeNumber(print.Ordinal);
        output.Raw(",\"p\":\""u8);
        output.Number(print.PriceUnits, instrument.PriceScale, trim: false);
        output.Raw("\",\"q\":\""u8);
        output.Number(print.SizeUnits, instrument.SizeScale, trim: false);
        output.Raw("\",\"nq\":\""u8);
        output.Number(print.SizeUnits, instrument.SizeScale, trim: false);
        output.Raw("\",\"f\":"u8);
        output.WholeNumber(print.FirstId);
        output.Raw(",\"l\":"u8);
        output.WholeNumber(print.LastId);
        output.Raw(",\"T\":"u8);
        output.WholeNumber(print.Ts);
        output.Raw(print.Buy ? ",\"m\":false}"u8 : ",\"m\":true}"u8);
    }

    private void Add(string stream)
    {
        lock (_gate)
        {
            if (_streams.Contains(stream))
            {
                return;
            }

            _streams.Add(stream);
            var symbol = _route == BinanceRoute.Market ? SymbolOf(Context, stream) : null;
            if (symbol is not null)
            {
                _streamBySymbol[symbol] = stream;
                Context.Feed.Subscribe(symbol, this);
            }

            if (Context.Micro is { } micro && MicroOf(Context, stream) is { } m &&
                MicroWire.BinancePublic(m.Channel) == (_route != BinanceRoute.Market))
            {
                _microStreams[m] = stream;
                micro.Subscribe(m.Symbol, m.Channel, this);
            }
        }
    }

    private void Remove(string stream)
    {
        lock (_gate)
        {
            _streams.Remove(stream);
            var symbol = SymbolOf(Context, stream);
            if (symbol is not null && _streamBySymbol.Remove(symbol))
            {
                Context.Feed.Unsubscribe(symbol, this);
            }

            if (Context.Micro is { } micro && MicroOf(Context, stream) is { } m && _microStreams.Remove(m))
            {
                micro.Unsubscribe(m.Symbol, m.Channel, this);
            }
        }
    }
}
