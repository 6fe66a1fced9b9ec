using System.Buffers;
using System.Text.Json;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.Bars;

/// <summary>Writes and reads bars_1m lines.</summary>
public static class BarLine
{
    public const string Calc = "bars_1m";

    public static void Write(IBufferWriter<byte> output, string exchange, string instId, BarRecord bar)
    {
        ArgumentNullException.ThrowIfNull(bar);
        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        line.Dec("open"u8, bar.Open);
        line.Dec("high"u8, bar.High);
        line.Dec("low"u8, bar.Low);
        line.Dec("close"u8, bar.Close);
        line.Number("trades"u8, bar.Trades);
        line.Dec("volBase"u8, bar.VolBase);
        line.Dec("volQuote"u8, bar.VolQuote);
        line.Dec("buyVolBase"u8, bar.BuyVolBase);
        line.Dec("sellVolBase"u8, bar.SellVolBase);
        line.Dec("sumPx2Qty"u8, bar.SumPx2Qty);
        if (bar.FirstTradeId is null)
        {
            line.Null("firstTradeId"u8);
            line.Null("lastTradeId"u8);
        }
        else
        {
            line.Key("firstTradeId"u8);
            new Pipeline.Vault.Trades.JsonLineBuilder(output).StringValue(bar.FirstTradeId);
            line.Key("lastTradeId"u8);
            new Pipeline.Vault.Trades.JsonLineBuilder(output).StringValue(bar.LastTradeId!);
        }

        line.Dec("maxMove5sBps"u8, bar.MaxMove5sBps);
        line.End();
    }

    /// <summary>Parses a bars_1m line; throws <see cref="FormatException"/> naming the problem.</summary>
    public static BarRecord Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        long? minute = null;
        decimal open = 0, high = 0, low = 0, close = 0, volBase = 0, volQuote = 0, buy = 0, sell = 0, p2q = 0, move = 0;
        long trades = 0;
        string? first = null, last = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("bars line is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "minute": minute = MinuteTime.Parse(reader.GetString()); break;
                    case "open": open = Dec(ref reader); break;
                    case "high": high = Dec(ref reader); break;
                    case "low": low = Dec(ref reader); break;
                    case "close": close = Dec(ref reader); break;
                    case "trades": trades = reader.GetInt64(); break;
                    case "volBase": volBase = Dec(ref reader); break;
                    case "volQuote": volQuote = Dec(ref reader); break;
                    case "buyVolBase": buy = Dec(ref reader); break;
                    case "sellVolBase": sell = Dec(ref reader); break;
                    case "sumPx2Qty": p2q = Dec(ref reader); break;
                    case "firstTradeId": first = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                    case "lastTradeId": last = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                    case "maxMove5sBps": move = Dec(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException("bad bars line: " + ex.Message, ex);
        }

        return new BarRecord
        {
            Minute = minute ?? throw new FormatException("bars line without minute"),
            Open = open, High = high, Low = low, Close = close, Trades = trades, VolBase = volBase, VolQuote = volQuote,
            BuyVolBase = buy, SellVolBase = sell, SumPx2Qty = p2q, FirstTradeId = first, LastTradeId = last, MaxMove5sBps = move,
        };
    }

    private static decimal Dec(ref Utf8JsonReader reader) =>
        Raw.FastDecimal.TryParse(reader.ValueSpan, out var value)
            ? value
            : throw new FormatException("not a decimal string: " + reader.GetString());
}
