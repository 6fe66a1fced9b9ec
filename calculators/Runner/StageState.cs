namespace Pipeline.Calculators.Runner;

/// <summary>state/{calc}/{exchange}/perps/{instId}.state.json of a stage-2 calculator.</summary>
public sealed class StageState<TState>
    where TState : class
{
    public int Version { get; set; } = 1;
    public string Calc { get; set; } = "";
    public string Exchange { get; set; } = "";
    public string InstId { get; set; } = "";

    /// <summary>bars_1m day file and byte offset of the next bar to read.</summary>
    public RawCursor? Input { get; set; }

    public OutputPosition? Output { get; set; }

    /// <summary>The last minute written (Unix ms).</summary>
    public long? LastMinute { get; set; }

    public long Minutes { get; set; }

    public TState? Indicator { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}
