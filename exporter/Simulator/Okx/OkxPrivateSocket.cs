using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Simulator.Okx;

/// <summary>
/// OKX's private WebSocket (<c>{okx-ws}/ws/v5/private</c>): <c>login</c> (sign = base64 HMAC-SHA256 of timestamp in seconds +
/// <c>GET/users/self/verify</c>), then <c>subscribe</c> to <c>orders</c> and <c>positions</c> (instType SWAP). Each order event
/// of the account is pushed on <c>orders</c>; after a fill the instrument's position on <c>positions</c>. Text ping → pong.
/// </summary>
public sealed class OkxPrivateSocket(WebSocket socket, SimulatorContext context, ConnectionFaults faults, string connId)
    : SimSocket(socket, context, faults, connId), IPrivateListener
{
    private const long ExpirySeconds = 30;
    private volatile bool _orders;
    private volatile bool _positions;

    public override string Exchange => SimInstruments.Okx;

    /// <summary>The account logged in on this connection (null before a successful login).</summary>
    public PrivateAccount? Account { get; private set; }

    public void OnEvent(PrivateEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var i = Context.Find(SimInstruments.Okx, e.Order.InstId)?.Instrument;
        if (i is null)
        {
            return;
        }

        if (_orders)
        {
            Reply(Json(w => Push(w, "orders", () => WriteOrderPush(w, i, e))));
        }

        if (_positions && e.Fill is not null)
        {
            Reply(Json(w => Push(w, "positions", () => WritePosition(w, i, e.Position, e.Ts))));
        }
    }

    public void Drop() => _ = Inject(ConnectionFault.Abort);

    protected override void OnText(ReadOnlySpan<byte> message)
    {
        if (message.SequenceEqual("ping"u8))
        {
            Reply("pong"u8.ToArray());
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(message.ToArray());
            var root = doc.RootElement;
            var op = root.TryGetProperty("op", out var o) ? o.GetString() : null;
            var args = root.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array ? a : default;
            switch (op)
            {
                case "login":
                    Login(args.ValueKind == JsonValueKind.Array && args.GetArrayLength() > 0 ? args[0] : default);
                    break;
                case "subscribe" when Account is null:
                    Error("60011", "Please log in");
                    break;
                case "subscribe" when args.ValueKind == JsonValueKind.Array:
                    foreach (var arg in args.EnumerateArray())
                    {
                        Subscribe(arg);
                    }

                    break;
                default:
                    Error("60012", "Invalid request: " + System.Text.Encoding.UTF8.GetString(message));
                    break;
            }
        }
        catch (JsonException)
        {
            Error("60012", "Invalid request: " + System.Text.Encoding.UTF8.GetString(message));
        }
    }

    protected override ValueTask SendBatchAsync(LiveBatch batch, ArrayBufferWriter<byte> buffer, CancellationToken token) => ValueTask.CompletedTask;

    /// <summary>The login checks, in order: 60005 unknown key, 60004 timestamp not seconds, 60006 more than 30 s off, 60024 passphrase, 60007 sign.</summary>
    private void Login(JsonElement arg)
    {
        string Field(string name) => arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var account = Context.Private!.FindByKey(Field("apiKey"));
        var ts = Field("timestamp");
        if (account is null)
        {
            Error("60005", "Invalid apiKey");
            return;
        }

        if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            Error("60004", "Invalid timestamp");
            return;
        }

        if (Math.Abs(Context.Clock.NowMs / 1000 - seconds) > ExpirySeconds)
        {
            Error("60006", "Timestamp request expired");
            return;
        }

        if (!string.Equals(Field("passphrase"), account.Spec.Passphrase, StringComparison.Ordinal))
        {
            Error("60024", "Wrong passphrase");
            return;
        }

        if (!OkxSignature.Verify(account.Spec.Secret, OkxSignature.Prehash(ts, "GET", "/users/self/verify", ""), Field("sign")))
        {
            Error("60007", "Invalid sign");
            return;
        }

        if (Account is null)
        {
            Account = account;
            Context.Private.Subscribe(account, this);
        }

        Reply(Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("event", "login");
            w.WriteString("code", "0");
            w.WriteString("msg", "");
            w.WriteString("connId", ConnId);
            w.WriteEndObject();
        }));
    }

    private void Subscribe(JsonElement arg)
    {
        var channel = arg.ValueKind == JsonValueKind.Object && arg.TryGetProperty("channel", out var c) ? c.GetString() : null;
        switch (channel)
        {
            case "orders":
                _orders = true;
                break;
            case "positions":
                _positions = true;
                break;
            default:
                Error("60018", "Wrong URL or channel:" + channel + " doesn't exist.");
                return;
        }

        Reply(Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("event", "subscribe");
            w.WritePropertyName("arg");
            arg.WriteTo(w);
            w.WriteString("connId", ConnId);
            w.WriteEndObject();
        }));
    }

    private void Error(string code, string msg) => Reply(Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("event", "error");
        w.WriteString("code", code);
        w.WriteString("msg", msg);
        w.WriteString("connId", ConnId);
        w.WriteEndObject();
    }));

    private static void Push(Utf8JsonWriter w, string channel, Action row)
    {
        w.WriteStartObject();
        w.WriteStartObject("arg");
        w.WriteString("channel", channel);
        w.WriteString("instType", "SWAP");
        w.WriteEndObject();
        w.WriteStartArray("data");
        row();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>An orders push: the order's fields plus the fill's (fillPx, fillSz, tradeId, fee negative = a charge, execType T/M).</summary>
    private static void WriteOrderPush(Utf8JsonWriter w, SimInstrument i, PrivateEvent e)
    {
        var o = e.Order;
        var f = e.Fill;
        w.WriteStartObject();
        w.WriteString("instType", "SWAP");
        w.WriteString("instId", i.InstId);
        w.WriteString("ordId", o.OrderId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("clOrdId", o.ClientOrderId.StartsWith("sim", StringComparison.Ordinal) ? "" : o.ClientOrderId);
        w.WriteString("side", o.Side == PrivateSide.Buy ? "buy" : "sell");
        w.WriteString("posSide", "net");
        w.WriteString("tdMode", "cross");
        w.WriteString("ordType", o.Type switch { PrivateOrderType.PostOnly => "post_only", PrivateOrderType.Market => "market", _ => "ioc" });
        w.WriteString("px", o.Type == PrivateOrderType.Market ? "" : OkxPrivateRest.Text(o.Price));
        w.WriteString("sz", OkxPrivateRest.Text(o.Quantity));
        w.WriteString("accFillSz", OkxPrivateRest.Text(o.FilledQuantity));
        w.WriteString("avgPx", o.FilledQuantity == 0 ? "" : OkxPrivateRest.Text(o.AveragePrice));
        w.WriteString("state", OkxPrivateRest.State(o.Status));
        w.WriteString("cancelSource", OkxPrivateRest.CancelSource(o));
        w.WriteString("fillPx", f is null ? "" : OkxPrivateRest.Text(f.Price));
        w.WriteString("fillSz", f is null ? "0" : OkxPrivateRest.Text(f.Quantity));
        w.WriteString("tradeId", f is null ? "" : f.TradeId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("fillTime", f is null ? "" : f.Ts.ToString(CultureInfo.InvariantCulture));
        w.WriteString("fillFee", f is null ? "0" : OkxPrivateRest.Text(-f.Fee));
        w.WriteString("fillFeeCcy", f is null ? "" : i.SettleCcy);
        w.WriteString("execType", f is null ? "" : f.Maker ? "M" : "T");
        w.WriteString("pnl", OkxPrivateRest.Text(f?.RealizedPnl ?? 0));
        w.WriteString("cTime", o.CreatedMs.ToString(CultureInfo.InvariantCulture));
        w.WriteString("uTime", o.UpdatedMs.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter w, SimInstrument i, PrivatePosition pos, long ts)
    {
        w.WriteStartObject();
        w.WriteString("instType", "SWAP");
        w.WriteString("instId", i.InstId);
        w.WriteString("mgnMode", "cross");
        w.WriteString("posSide", "net");
        w.WriteString("pos", OkxPrivateRest.Text(pos.Quantity));
        w.WriteString("avgPx", pos.Quantity == 0 ? "" : OkxPrivateRest.Text(pos.EntryPrice));
        w.WriteString("realizedPnl", OkxPrivateRest.Text(pos.RealizedPnl));
        w.WriteString("ccy", i.SettleCcy);
        w.WriteString("uTime", ts.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
