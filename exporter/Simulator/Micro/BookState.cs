namespace Pipeline.Simulator.Micro;

/// <summary>A copy of a simulated book (integer units, best first) as of update id <see cref="Seq"/> at <see cref="Ts"/>.</summary>
public sealed record BookState(long Seq, long Ts, IReadOnlyList<(long Px, long Sz)> Bids, IReadOnlyList<(long Px, long Sz)> Asks);
