namespace Pipeline.Jobs.Strategies;

/// <summary>
/// The microstructure indicators of one closed minute, as the micro stage wrote them under derived/ (ofi, microprice,
/// vpin, bookdepth; calculators/README.md "Microstructure indicators"). Each value is null while its indicator warms up
/// or has nothing to say (no quote yet, no trade yet, the book unknown after a resync, a flat z baseline).
/// </summary>
public sealed record MicroInputs
{
    /// <summary>Order-flow imbalance of the minute (ofi.ofi), base units.</summary>
    public decimal? Ofi { get; init; }

    /// <summary>Robust z-score of the minute's OFI against the previous minutes (ofi.ofiZ).</summary>
    public decimal? OfiZ { get; init; }

    /// <summary>Micro-price at the minute's end (microprice.microPrice).</summary>
    public decimal? MicroPrice { get; init; }

    /// <summary>Top-of-book imbalance of the last quote, (bidSz − askSz)/(bidSz + askSz) (microprice.imbalance).</summary>
    public decimal? Imbalance { get; init; }

    /// <summary>(micro-price − last trade price) in bps of the last trade price (microprice.divergenceBps).</summary>
    public decimal? DivergenceBps { get; init; }

    /// <summary>Robust z-score of the divergence (microprice.divergenceZ).</summary>
    public decimal? DivergenceZ { get; init; }

    /// <summary>VPIN over the last complete volume buckets (vpin.vpin), in [0, 1].</summary>
    public decimal? Vpin { get; init; }

    /// <summary>Book size within the depth band around the mid, base units (bookdepth.bidDepth / askDepth).</summary>
    public decimal? BidDepth { get; init; }

    public decimal? AskDepth { get; init; }
}
