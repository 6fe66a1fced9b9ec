using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Pipeline.Vault.Trades;

/// <summary>
/// Parses raw trade lines with <see cref="Utf8JsonReader"/>. Low-cardinality values (exchange,
/// instId, side, contract fields, src) are reused from the previous line when their bytes match,
/// so a line allocates only the record and its tradeId, px, sz and qtyBase strings.
/// Not thread-safe: one parser per reading loop.
/// </summary>
public sealed class RawTradeParser
{
    private readonly CachedString _exchange = new();
    private readonly CachedString _instId = new();
    private readonly CachedString _side = new();
    private readonly CachedString _ctVal = new();
    private readonly CachedString _ctMult = new();
    private readonly CachedString _ctType = new();
    private readonly CachedString _ctValCcy = new();
    private readonly CachedString _src = new();

    /// <summary>Parses one line (with or without its '\n'); on failure <paramref name="error"/> says why.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out RawTrade? trade, out string? error)
    {
        trade = null;
        if (line.Length > 0 && line[^1] == '\n')
        {
            line = line[..^1];
        }

        try
        {
            return TryParseCore(line, out trade, out error);
        }
        catch (JsonException ex)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
    }

    public RawTrade Parse(string line)
    {
        return TryParse(Encoding.UTF8.GetBytes(line), out var trade, out var error)
            ? trade!
            : throw new FormatException(error);
    }

    private bool TryParseCore(ReadOnlySpan<byte> line, out RawTrade? trade, out string? error)
    {
        trade = null;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "not a JSON object";
            return false;
        }

        string? exchange = null, instId = null, tradeId = null, px = null, sz = null, side = null;
        string? ctVal = null, ctMult = null, ctType = null, ctValCcy = null, qtyBase = null, src = null;
        long ts = -1, recvTs = -1;
        int? count = null;
        long? firstId = null, lastId = null;

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                error = "unexpected token " + reader.TokenType;
                return false;
            }

            var name = reader.ValueSpan;
            if (!reader.Read())
            {
                error = "truncated line";
                return false;
            }

            if (name.SequenceEqual("exchange"u8)) { exchange = _exchange.Get(ref reader); }
            else if (name.SequenceEqual("instId"u8)) { instId = _instId.Get(ref reader); }
            else if (name.SequenceEqual("tradeId"u8)) { tradeId = StringOrNull(ref reader); }
            else if (name.SequenceEqual("ts"u8)) { ts = LongOr(ref reader, -1); }
            else if (name.SequenceEqual("px"u8)) { px = StringOrNull(ref reader); }
            else if (name.SequenceEqual("sz"u8)) { sz = StringOrNull(ref reader); }
            else if (name.SequenceEqual("side"u8)) { side = _side.Get(ref reader); }
            else if (name.SequenceEqual("ctVal"u8)) { ctVal = _ctVal.Get(ref reader); }
            else if (name.SequenceEqual("ctMult"u8)) { ctMult = _ctMult.Get(ref reader); }
            else if (name.SequenceEqual("ctType"u8)) { ctType = _ctType.Get(ref reader); }
            else if (name.SequenceEqual("ctValCcy"u8)) { ctValCcy = _ctValCcy.Get(ref reader); }
            else if (name.SequenceEqual("qtyBase"u8)) { qtyBase = StringOrNull(ref reader); }
            else if (name.SequenceEqual("recvTs"u8)) { recvTs = LongOr(ref reader, -1); }
            else if (name.SequenceEqual("src"u8)) { src = _src.Get(ref reader); }
            else if (name.SequenceEqual("count"u8)) { count = (int)LongOr(ref reader, 0); }
            else if (name.SequenceEqual("firstId"u8)) { firstId = LongOr(ref reader, -1); }
            else if (name.SequenceEqual("lastId"u8)) { lastId = LongOr(ref reader, -1); }
            else
            {
                reader.Skip(); // unknown keys are tolerated: later versions may add columns
            }
        }

        error = Missing(exchange, "exchange") ?? Missing(instId, "instId") ?? Missing(tradeId, "tradeId")
            ?? Missing(px, "px") ?? Missing(sz, "sz") ?? Missing(side, "side") ?? Missing(ctVal, "ctVal")
            ?? Missing(ctMult, "ctMult") ?? Missing(ctType, "ctType") ?? Missing(ctValCcy, "ctValCcy")
            ?? Missing(qtyBase, "qtyBase") ?? Missing(src, "src");
        if (error is null && ts <= 0)
        {
            error = "missing or invalid ts";
        }
        else if (error is null && recvTs < 0)
        {
            error = "missing or invalid recvTs";
        }
        else if (error is null && (!ExactDecimal.IsPlain(px!) || !ExactDecimal.IsPlain(sz!) || !ExactDecimal.IsPlain(qtyBase!)))
        {
            error = "px, sz or qtyBase is not a plain decimal";
        }
        else if (error is null && side is not ("buy" or "sell"))
        {
            error = "side must be buy or sell";
        }

        if (error is not null)
        {
            return false;
        }

        trade = new RawTrade
        {
            Exchange = exchange!, InstId = instId!, TradeId = tradeId!, Ts = ts, Px = px!, Sz = sz!, Side = side!,
            CtVal = ctVal!, CtMult = ctMult!, CtType = ctType!, CtValCcy = ctValCcy!, QtyBase = qtyBase!,
            RecvTs = recvTs, Src = src!, Count = count, FirstId = firstId, LastId = lastId,
        };
        return true;
    }

    private static string? Missing(string? value, string name) => string.IsNullOrEmpty(value) ? "missing " + name : null;

    private static string? StringOrNull(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    private static long LongOr(ref Utf8JsonReader reader, long fallback)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped &&
            Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return parsed;
        }

        return fallback;
    }

    /// <summary>Remembers the last string of one field and its UTF-8 bytes.</summary>
    private sealed class CachedString
    {
        private byte[] _bytes = [];
        private string? _value;

        public string? Get(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            if (reader.ValueIsEscaped)
            {
                return reader.GetString();
            }

            var span = reader.ValueSpan;
            if (_value is not null && span.SequenceEqual(_bytes))
            {
                return _value;
            }

            _bytes = span.ToArray();
            _value = Encoding.UTF8.GetString(span);
            return _value;
        }
    }
}
