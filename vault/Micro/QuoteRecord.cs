namespace Pipeline.Vault.Micro;

/// <summary>
/// Best bid and ask as one line of <c>quotes_perps</c>. Prices and sizes are the exchange's exact strings.
/// <see cref="Seq"/> orders the quotes of one instrument (Binance bookTicker <c>u</c>, OKX bbo-tbt <c>seqId</c>) and is the dedup key.
/// </summary>
public sealed record QuoteRecord
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }

    /// <summary>Exchange event time, Unix ms (Binance <c>E</c>/<c>T</c>, OKX <c>ts</c>).</summary>
    public required long Ts { get; init; }

    public required long Seq { get; init; }
    public required string BidPx { get; init; }
    public required string BidSz { get; init; }
    public required string AskPx { get; init; }
    public required string AskSz { get; init; }

    /// <summary>Local receive time, Unix ms.</summary>
    public required long RecvTs { get; init; }

    /// <summary>ws or rest.</summary>
    public required string Src { get; init; }
}
