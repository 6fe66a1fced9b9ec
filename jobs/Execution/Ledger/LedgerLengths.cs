namespace Pipeline.Jobs.Execution.Ledger;

/// <summary>
/// Lengths of the ledger files and of the signals file of the last decided day, recorded in the
/// executor state after the lines are synced. On start the files are cut back to them, so lines
/// appended by a run that crashed before its state write are dropped and then written again once.
/// </summary>
public sealed record LedgerLengths(long Orders, long Fills, long Positions, DateOnly? SignalsDay, long SignalsLength);
