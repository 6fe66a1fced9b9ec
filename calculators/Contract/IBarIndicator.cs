using System.Buffers;
using Pipeline.Calculators.Bars;

namespace Pipeline.Calculators.Contract;

/// <summary>
/// A stage-2 calculator (run by <see cref="Runner.IndicatorStage{TState}"/>): consumes bars_1m in minute order
/// and writes one line per bar with the fields it declares in <see cref="IIndicator.Outputs"/>. All of
/// its memory lives in <typeparamref name="TState"/>, which the runner persists with the cursor.
/// </summary>
public interface IBarIndicator<TState> : IIndicator
    where TState : class
{
    TState NewState();

    /// <summary>Updates the state with <paramref name="bar"/> and writes its minute line (with '\n').</summary>
    void Apply(TState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId);
}
