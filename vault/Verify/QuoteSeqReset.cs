namespace Pipeline.Vault.Verify;

/// <summary>
/// A quote whose seq is below the previous quote's at a newer event time: the exchange restarted its ids (OKX resets
/// seqId on maintenance). The recorder keeps such a quote as new, and verify reports it as information, not a defect.
/// </summary>
public sealed record QuoteSeqReset(string File, long Offset, long Ts, long Seq, long PreviousSeq);
