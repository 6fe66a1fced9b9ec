using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;

namespace Pipeline.Calculators.Tests.Bars;

/// <summary>Bars for indicator tests, and running an indicator over them.</summary>
public static class Bar
{
    public static BarRecord Of(long minute, decimal px, decimal qty = 1, long trades = 1, decimal buy = -1) => new()
    {
        Minute = minute, Open = px, High = px, Low = px, Close = px, Trades = trades, VolBase = qty, VolQuote = px * qty,
        BuyVolBase = buy < 0 ? qty : buy, SellVolBase = buy < 0 ? 0 : qty - buy, SumPx2Qty = px * px * qty,
        FirstTradeId = trades > 0 ? "1" : null, LastTradeId = trades > 0 ? "1" : null, MaxMove5sBps = 0,
    };

    public static BarRecord Quiet(long minute, decimal close) => Of(minute, close, 0, 0) with { BuyVolBase = 0, SellVolBase = 0 };

    /// <summary>Runs <paramref name="indicator"/> over the bars and returns each line parsed.</summary>
    public static List<JsonElement> Run<T>(IBarIndicator<T> indicator, IEnumerable<BarRecord> bars, T? state = null)
        where T : class
    {
        state ??= indicator.NewState();
        var result = new List<JsonElement>();
        foreach (var bar in bars)
        {
            var buffer = new ArrayBufferWriter<byte>();
            indicator.Apply(state, bar, buffer, TestVault.Exchange, TestVault.InstId);
            var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
            Assert.EndsWith("}\n", text, StringComparison.Ordinal);
            result.Add(JsonDocument.Parse(text).RootElement.Clone());
        }

        return result;
    }

    public static decimal? Dec(this JsonElement e, string key) =>
        e.GetProperty(key).ValueKind == JsonValueKind.Null
            ? null
            : decimal.Parse(e.GetProperty(key).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
