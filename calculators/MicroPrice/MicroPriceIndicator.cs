using System.Buffers;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.MicroPrice;

/// <summary>
/// microprice: at the end of each minute, from the last quote and the last trade before it: <c>microPrice</c>,
/// <c>mid</c>, <c>imbalance</c> (top of book, from the quotes), <c>lastTradePx</c>, <c>divergence</c> = microPrice −
/// lastTradePx and <c>divergenceBps</c>. Null until the series has had a quote (and a trade, for the last three).
/// </summary>
public sealed class MicroPriceIndicator : IIndicator
{
    public const string Calc = "microprice";

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
    [
        new("microPrice", WarmUp.None), new("mid", WarmUp.None), new("imbalance", WarmUp.None),
        new("lastTradePx", WarmUp.None), new("divergence", WarmUp.None), new("divergenceBps", WarmUp.None),
    ];

    public static void EndMinute(MicroPriceState state, long minute, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var line = MinuteLine.Begin(output, minute, exchange, instId);
        line.Dec("microPrice"u8, state.MicroPrice);
        line.Dec("mid"u8, state.Mid);
        line.Dec("imbalance"u8, state.Imbalance);
        line.Dec("lastTradePx"u8, state.LastTradePx);
        line.Dec("divergence"u8, state.Divergence);
        line.Dec("divergenceBps"u8, state.DivergenceBps);
        line.End();
    }
}
