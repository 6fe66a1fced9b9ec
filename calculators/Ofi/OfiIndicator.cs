using System.Buffers;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Ofi;

/// <summary>
/// ofi: order-flow imbalance from the recorded quotes (best bid/ask). Per minute: <c>ofi</c> = Σ e_n of the minute's
/// quote events, <c>ofiRolling</c> = Σ ofi of the last <see cref="Window"/> minutes, <c>quotes</c> = events in the minute,
/// <c>ofiZ</c> = the robust z-score of ofi against the previous <see cref="ZWindow"/> minutes (<see cref="RobustZ"/>).
/// </summary>
public sealed class OfiIndicator : IIndicator
{
    public const string Calc = "ofi";

    public OfiIndicator(int window = 5, int zWindow = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zWindow, 2);
        Window = window;
        ZWindow = zWindow;
        Outputs = [new("ofi", WarmUp.None), new("ofiRolling", WarmUp.Of(window)), new("quotes", WarmUp.None), new("ofiZ", WarmUp.Of(zWindow + 1))];
    }

    public int Window { get; }

    /// <summary>Minutes in the robust z-score's baseline.</summary>
    public int ZWindow { get; }

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; }

    /// <summary>Writes minute <paramref name="minute"/>'s line and closes the minute in <paramref name="state"/>.</summary>
    public void EndMinute(OfiState state, long minute, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ofi = state.MinuteOfi;
        var quotes = state.MinuteQuotes;
        state.EndMinute(Window);
        var z = state.Z.Push(ofi, ZWindow);
        var line = MinuteLine.Begin(output, minute, exchange, instId);
        line.Dec("ofi"u8, ofi);
        line.Dec("ofiRolling"u8, state.MinutesSeen >= Window ? state.RollingSum : null);
        line.Number("quotes"u8, quotes);
        line.Dec("ofiZ"u8, z);
        line.End();
    }
}
