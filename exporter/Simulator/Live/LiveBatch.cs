using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Live;

/// <summary>Prints [PrintStart, PrintEnd) of a block, published at simulated time <see cref="PublishMs"/>.</summary>
public readonly record struct LiveBatch(MarketBlock Block, int PrintStart, int PrintEnd, long PublishMs);
