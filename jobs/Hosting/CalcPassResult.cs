namespace Pipeline.Jobs.Hosting;

/// <summary>What a calculator pass did. The signal/executor pass runs only after a pass that <see cref="Succeeded"/>.</summary>
/// <param name="Instruments">Instruments processed.</param>
/// <param name="Minutes">Minute records emitted (all calculators).</param>
/// <param name="FailedInstruments">Instruments whose calculation failed (their cursors stay put; retried next pass).</param>
public sealed record CalcPassResult(int Instruments, long Minutes, int FailedInstruments)
{
    public bool Succeeded => FailedInstruments == 0;
}
