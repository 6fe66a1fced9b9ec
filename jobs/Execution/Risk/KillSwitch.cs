namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// state/risk/{strategy}.kill.json, written only by <c>pipeline kill</c>: while <see cref="Active"/>, the gate blocks
/// every new order, and the executor cancels open orders and flattens once per request (<see cref="SetAtMs"/>). A file
/// of its own because another process writes it: the executor never writes it, so no update of either is lost.
/// </summary>
public sealed record KillSwitch
{
    public required string Strategy { get; init; }
    public bool Active { get; init; }
    public string Reason { get; init; } = "";

    /// <summary>When it was set (local clock, Unix ms): identifies the cancel + flatten request.</summary>
    public long SetAtMs { get; init; }

    public long? ClearedAtMs { get; init; }
}
