namespace Pipeline.Simulator.Micro;

/// <summary>A fault of the simulated book stream, the same for every subscriber (it happens at the exchange, not on one connection).</summary>
public enum BookFault
{
    /// <summary>One diff message is never sent (OKX <c>books</c> or Binance <c>@depth@100ms</c>): the next one's prevSeqId/pu names it.</summary>
    DropDiff,

    /// <summary>OKX only: one update carries a wrong non-zero <c>checksum</c> (its levels are right).</summary>
    CorruptChecksum,

    /// <summary>OKX only: one update's <c>prevSeqId</c> names a seqId that was never sent (previous seqId + 1); its levels are right.</summary>
    SeqGap,

    /// <summary>Binance only: one REST <c>GET /fapi/v1/depth</c> answer is the book of at least a second ago (lastUpdateId older than the stream).</summary>
    StaleSnapshot,
}

/// <summary>
/// A book fault as it was applied (announced in <see cref="MicroFeed.FaultsApplied"/> and the truth's fault file).
/// <paramref name="Seq"/>: the seqId/u of the message dropped or altered, or for a stale snapshot the lastUpdateId served;
/// <paramref name="StreamSeq"/>: for a stale snapshot the stream's seq at that moment (else the same as Seq).
/// </summary>
public sealed record BookFaultEvent(string Exchange, string InstId, BookFault Fault, long Ts, long Seq, long StreamSeq);
