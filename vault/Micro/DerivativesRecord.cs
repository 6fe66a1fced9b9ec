namespace Pipeline.Vault.Micro;

/// <summary>
/// Derivatives context as one line of <c>derivatives_perps</c>: whatever one message carried (mark/index price,
/// funding rate and next funding time, open interest); absent fields are left out of the line.
/// Dedup key: (<see cref="Ts"/>, <see cref="Channel"/>).
/// </summary>
public sealed record DerivativesRecord
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }

    /// <summary>Exchange event time, Unix ms.</summary>
    public required long Ts { get; init; }

    /// <summary>The source message: Binance <c>markPrice</c> / <c>openInterest</c> (REST), OKX <c>mark-price</c> / <c>funding-rate</c> / <c>open-interest</c>.</summary>
    public required string Channel { get; init; }

    public string? MarkPx { get; init; }
    public string? IndexPx { get; init; }
    public string? FundingRate { get; init; }

    /// <summary>Next funding time, Unix ms.</summary>
    public long? NextFundingTime { get; init; }

    /// <summary>Open interest in contracts (OKX <c>oi</c>) or base (Binance <c>openInterest</c>).</summary>
    public string? OpenInterest { get; init; }

    /// <summary>OKX open interest in the coin (<c>oiCcy</c>); null elsewhere.</summary>
    public string? OpenInterestCcy { get; init; }

    /// <summary>Local receive time, Unix ms.</summary>
    public required long RecvTs { get; init; }

    /// <summary>ws or rest.</summary>
    public required string Src { get; init; }
}
