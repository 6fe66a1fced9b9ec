using System.Buffers;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.MicroPrice;

/// <summary>
/// microprice: at the end of each minute, from the last quote and the last trade before it: <c>microPrice</c>,
/// <c>mid</c>, <c>imbalance</c> (top of book, from the quotes), <c>lastTradePx</c>, <c>divergence</c> = microPrice −
/// lastTradePx and <c>divergenceBps</c>. Null until the series has had a quote (and a trade, for the last three).
/// <c>divergenceZ</c>: the robust z-score of divergenceBps against the previous <see cref="ZWindow"/> minutes that had one
/// (<see cref="RobustZ"/>).
/// </summary>
public sealed class MicroPriceIndicator : IIndicator
{
    public const string Calc = "microprice";

    public MicroPriceIndicator(int zWindow = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(zWindow, 2);
        ZWindow = zWindow;
        Outputs =
        [
            new("microPrice", WarmUp.None), new("mid", WarmUp.None), new("imbalance", WarmUp.None),
            new("lastTradePx", WarmUp.None), new("divergence", WarmUp.None), new("divergenceBps", WarmUp.None),
            new("divergenceZ", WarmUp.Of(zWindow + 1)),
        ];
    }

    /// <summary>Minutes in the robust z-score's baseline.</summary>
    public int ZWindow { get; }

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; }

    public void EndMinute(MicroPriceState state, long minute, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var z = state.DivergenceZ.Push(state.DivergenceBps, ZWindow);
        var line = MinuteLine.Begin(output, minute, exchange, instId);
        line.Dec("microPrice"u8, state.MicroPrice);
        line.Dec("mid"u8, state.Mid);
        line.Dec("imbalance"u8, state.Imbalance);
        line.Dec("lastTradePx"u8, state.LastTradePx);
        line.Dec("divergence"u8, state.Divergence);
        line.Dec("divergenceBps"u8, state.DivergenceBps);
        line.Dec("divergenceZ"u8, z);
        line.End();
    }
}
