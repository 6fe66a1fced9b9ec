using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Ledger;

/// <summary>
/// The JSON line formats of derived/signals and ledger/: keys in a fixed order, decimals as exact
/// strings (<see cref="ExactDecimal.Format(decimal)"/>), event time as "ts" (Unix ms) and "time" (ISO).
/// </summary>
public static class LedgerJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep "≥" readable in reasons
        SkipValidation = true,
    };

    public static void WriteSignal(Utf8JsonWriter w, SignalRecord s)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(s);
        w.WriteStartObject();
        w.WriteString("minute", MinuteIso(s.MinuteMs));
        w.WriteString("strategy", s.Strategy);
        w.WriteString("exchange", s.Exchange);
        w.WriteString("instId", s.InstId);
        w.WriteString("action", s.ActionText);
        w.WriteString("reason", s.Reason);
        Dec(w, "close", s.Close);
        Dec(w, "vwap", s.Vwap);
        Dec(w, "sigma", s.Sigma);
        Dec(w, "upper", s.Upper);
        Dec(w, "lower", s.Lower);
        Dec(w, "adx", s.Adx);
        Dec(w, "maxMove5sBps", s.MaxMove5sBps);
        w.WriteEndObject();
    }

    public static void WriteOrder(Utf8JsonWriter w, string strategy, OrderEvent o)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(o);
        w.WriteStartObject();
        Time(w, o.Ts);
        w.WriteString("strategy", strategy);
        w.WriteString("orderId", o.OrderId);
        Str(w, "positionId", o.PositionId);
        w.WriteString("event", o.Event);
        w.WriteString("kind", o.Kind);
        w.WriteString("side", o.Side);
        w.WriteString("type", o.Type);
        Dec(w, "px", o.Px);
        Dec(w, "qty", o.Qty);
        if (o.ExpiresTs is { } expires)
        {
            w.WriteNumber("expiresTs", expires);
        }
        else
        {
            w.WriteNull("expiresTs");
        }

        w.WriteString("reason", o.Reason);
        w.WriteEndObject();
    }

    public static void WriteFill(Utf8JsonWriter w, string strategy, FillEvent f)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(f);
        w.WriteStartObject();
        Time(w, f.Ts);
        w.WriteString("strategy", strategy);
        w.WriteString("fillId", f.FillId);
        w.WriteString("orderId", f.OrderId);
        w.WriteString("positionId", f.PositionId);
        w.WriteString("kind", f.Kind);
        w.WriteString("side", f.Side);
        Dec(w, "px", f.Px);
        Dec(w, "qty", f.Qty);
        Dec(w, "notional", f.Notional);
        Str(w, "notionalCcy", f.NotionalCcy);
        w.WriteString("liquidity", f.Liquidity);
        Dec(w, "feeRate", f.FeeRate);
        Dec(w, "fee", f.Fee);
        Str(w, "feeCcy", f.FeeCcy);
        Str(w, "tradeId", f.TradeId);
        w.WriteString("ctType", f.Inverse ? "inverse" : "linear");
        w.WriteEndObject();
    }

    public static void WritePosition(Utf8JsonWriter w, string strategy, PositionEvent p)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(p);
        w.WriteStartObject();
        Time(w, p.Ts);
        w.WriteString("strategy", strategy);
        w.WriteString("positionId", p.PositionId);
        w.WriteString("event", p.Event);
        w.WriteString("direction", p.Direction);
        Dec(w, "qty", p.Qty);
        Dec(w, "notional", p.Notional);
        Str(w, "notionalCcy", p.NotionalCcy);
        Dec(w, "entryPx", p.EntryPx);
        w.WriteNumber("entryTs", p.EntryTs);
        Dec(w, "exitPx", p.ExitPx);
        Str(w, "exitReason", p.ExitReason);
        Dec(w, "grossPnl", p.GrossPnl);
        Dec(w, "fees", p.Fees);
        Dec(w, "netPnl", p.NetPnl);
        Dec(w, "netReturnPct", p.NetReturnPct);
        Str(w, "pnlCcy", p.PnlCcy);
        w.WriteString("ctType", p.Inverse ? "inverse" : "linear");
        w.WriteEndObject();
    }

    /// <summary>A writer over an appender (or any buffer writer) with the ledger's settings.</summary>
    public static Utf8JsonWriter CreateWriter(System.Buffers.IBufferWriter<byte> output) => new(output, WriterOptions);

    public static string MinuteIso(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string TimeIso(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads fills back (for reports over ledger/{strategy}/fills.jsonl).</summary>
    public static FillEvent ReadFill(ReadOnlySpan<byte> line)
    {
        using var doc = JsonDocument.Parse(line.ToArray());
        var r = doc.RootElement;
        return new FillEvent(
            r.GetProperty("ts").GetInt64(),
            r.GetProperty("fillId").GetString()!,
            r.GetProperty("orderId").GetString()!,
            r.GetProperty("positionId").GetString()!,
            r.GetProperty("kind").GetString()!,
            r.GetProperty("side").GetString()!,
            ExactDecimal.Parse(r.GetProperty("px").GetString()!),
            ExactDecimal.Parse(r.GetProperty("qty").GetString()!),
            ExactDecimal.Parse(r.GetProperty("notional").GetString()!),
            r.GetProperty("liquidity").GetString()!,
            ExactDecimal.Parse(r.GetProperty("feeRate").GetString()!),
            ExactDecimal.Parse(r.GetProperty("fee").GetString()!),
            r.GetProperty("tradeId").ValueKind == JsonValueKind.Null ? null : r.GetProperty("tradeId").GetString())
        {
            // Absent in ledgers written before inverse contracts were valued as such: those were linear.
            Inverse = OptionalText(r, "ctType") == "inverse",
            NotionalCcy = OptionalText(r, "notionalCcy"),
            FeeCcy = OptionalText(r, "feeCcy"),
        };
    }

    private static string? OptionalText(JsonElement r, string name) =>
        r.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Time(Utf8JsonWriter w, long ts)
    {
        w.WriteNumber("ts", ts);
        w.WriteString("time", TimeIso(ts));
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Dec(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            Span<char> buffer = stackalloc char[64];
            w.WriteString(name, ExactDecimal.Format(v, buffer));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
