namespace Pipeline.Jobs.Execution.Venue;

/// <summary>What one <see cref="VenueExecutor.StepAsync"/> did: minutes decided, raw trades read, orders sent, fills recorded, and whether a position is open after it.</summary>
public sealed record VenueStepResult(int Minutes, int Trades, int OrdersSent, int Fills, bool PositionOpen);
