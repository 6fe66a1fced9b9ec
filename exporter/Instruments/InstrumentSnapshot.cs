namespace Pipeline.Exporter.Instruments;

/// <summary>
/// meta/{exchange}/instruments/SWAP.json: the last instrument list fetched, plus every instrument seen
/// before that has since disappeared (delisted contracts vanish from the endpoint, but their ctVal is
/// still needed for old data), plus the instruments rejected and why.
/// </summary>
public sealed record InstrumentSnapshot
{
    public required string Exchange { get; init; }

    /// <summary>Unix ms of the fetch.</summary>
    public long FetchedAt { get; init; }

    /// <summary>The REST endpoint the list came from.</summary>
    public string? Source { get; init; }

    public IReadOnlyList<InstrumentSpec> Instruments { get; init; } = [];

    public IReadOnlyList<RejectedInstrument> Rejected { get; init; } = [];
}

/// <summary>An instrument whose metadata failed validation, with the field and reason.</summary>
public sealed record RejectedInstrument(string InstId, string Error);
