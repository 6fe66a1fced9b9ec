using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// A Binance USD-M user data stream connection (<c>{binance-ws}/private/ws/{listenKey}</c>): raw payloads, an
/// <c>ORDER_TRADE_UPDATE</c> per order event and, after a fill, an <c>ACCOUNT_UPDATE</c> (reason ORDER) with the USDT wallet
/// balance and the symbol's position. Client messages are ignored.
/// </summary>
public sealed class BinanceUserSocket(WebSocket socket, SimulatorContext context, ConnectionFaults faults, string connId)
    : SimSocket(socket, context, faults, connId), IPrivateListener
{
    public override string Exchange => SimInstruments.Binance;

    public void OnEvent(PrivateEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var instrument = Context.Find(SimInstruments.Binance, e.Order.InstId)?.Instrument;
        if (instrument is null)
        {
            return;
        }

        var now = Context.Clock.NowMs;
        Reply(Json(w => WriteOrderTradeUpdate(w, instrument, e, now)));
        if (e.Fill is not null)
        {
            Reply(Json(w => WriteAccountUpdate(w, instrument, e, now)));
        }
    }

    public void Drop() => _ = Inject(ConnectionFault.Abort);

    /// <summary>ORDER_TRADE_UPDATE: E event time, T transaction time, o = the order with x (execution type) and the fill's l/L/n/N/t/m/rp.</summary>
    public static void WriteOrderTradeUpdate(Utf8JsonWriter w, SimInstrument i, PrivateEvent e, long eventTime)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(e);
        var o = e.Order;
        var f = e.Fill;
        w.WriteStartObject();
        w.WriteString("e", "ORDER_TRADE_UPDATE");
        w.WriteNumber("E", Math.Max(eventTime, e.Ts));
        w.WriteNumber("T", e.Ts);
        w.WriteStartObject("o");
        w.WriteString("s", i.InstId);
        w.WriteString("c", o.ClientOrderId);
        w.WriteString("S", BinancePrivateRest.Side(o.Side));
        w.WriteString("o", BinancePrivateRest.OrderType(o.Type));
        w.WriteString("f", BinancePrivateRest.TimeInForce(o.Type));
        w.WriteString("q", BinancePrivateRest.Fixed(o.Quantity, i.SizeScale));
        w.WriteString("p", BinancePrivateRest.Fixed(o.Price, i.PriceScale));
        w.WriteString("ap", BinancePrivateRest.Decimal(o.AveragePrice));
        w.WriteString("sp", "0");
        w.WriteString("x", e.Kind);
        w.WriteString("X", BinancePrivateRest.Status(o.Status));
        w.WriteNumber("i", o.OrderId);
        w.WriteString("l", BinancePrivateRest.Fixed(f?.Quantity ?? 0, i.SizeScale));
        w.WriteString("z", BinancePrivateRest.Fixed(o.FilledQuantity, i.SizeScale));
        w.WriteString("L", BinancePrivateRest.Fixed(f?.Price ?? 0, i.PriceScale));
        if (f is not null)
        {
            w.WriteString("N", i.SettleCcy);
            w.WriteString("n", BinancePrivateRest.Decimal(f.Fee));
        }

        w.WriteNumber("T", e.Ts);
        w.WriteNumber("t", f?.TradeId ?? 0);
        w.WriteString("b", "0");
        w.WriteString("a", "0");
        w.WriteBoolean("m", f?.Maker ?? false);
        w.WriteBoolean("R", o.ReduceOnly);
        w.WriteString("wt", "CONTRACT_PRICE");
        w.WriteString("ot", BinancePrivateRest.OrderType(o.Type));
        w.WriteString("ps", "BOTH");
        w.WriteBoolean("cp", false);
        w.WriteString("rp", BinancePrivateRest.Decimal(f?.RealizedPnl ?? 0));
        w.WriteBoolean("pP", false);
        w.WriteNumber("si", 0);
        w.WriteNumber("ss", 0);
        w.WriteString("V", "EXPIRE_MAKER");
        w.WriteString("pm", "NONE");
        w.WriteNumber("gtd", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>ACCOUNT_UPDATE (m = ORDER): B = [{a, wb wallet balance, cw cross wallet, bc 0}], P = [{s, pa, ep, bep, cr accumulated realised, up, mt, iw, ps}].</summary>
    public static void WriteAccountUpdate(Utf8JsonWriter w, SimInstrument i, PrivateEvent e, long eventTime)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(e);
        var pos = e.Position;
        var upnl = pos.Quantity == 0 || e.Fill is null ? 0 : (e.Fill.Price - pos.EntryPrice) * pos.Quantity;
        w.WriteStartObject();
        w.WriteString("e", "ACCOUNT_UPDATE");
        w.WriteNumber("E", Math.Max(eventTime, e.Ts));
        w.WriteNumber("T", e.Ts);
        w.WriteStartObject("a");
        w.WriteString("m", "ORDER");
        w.WriteStartArray("B");
        w.WriteStartObject();
        w.WriteString("a", i.SettleCcy);
        w.WriteString("wb", BinancePrivateRest.Decimal(e.WalletBalance));
        w.WriteString("cw", BinancePrivateRest.Decimal(e.WalletBalance));
        w.WriteString("bc", "0");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("P");
        w.WriteStartObject();
        w.WriteString("s", i.InstId);
        w.WriteString("pa", BinancePrivateRest.Fixed(pos.Quantity, i.SizeScale));
        w.WriteString("ep", BinancePrivateRest.Decimal(pos.EntryPrice));
        w.WriteString("bep", "0");
        w.WriteString("cr", BinancePrivateRest.Decimal(pos.RealizedPnl));
        w.WriteString("up", BinancePrivateRest.Decimal(upnl));
        w.WriteString("mt", "cross");
        w.WriteString("iw", "0");
        w.WriteString("ps", "BOTH");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    protected override void OnText(ReadOnlySpan<byte> message)
    {
        // Binance's user stream takes no requests; keep-alive is PUT /fapi/v1/listenKey.
    }

    protected override ValueTask SendBatchAsync(LiveBatch batch, ArrayBufferWriter<byte> buffer, CancellationToken token) => ValueTask.CompletedTask;

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
