namespace Pipeline.Simulator.Micro;

/// <summary>
/// What the simulated market did besides printing trades, in the order it happened (prices and sizes in the
/// instrument's integer units). Rendered to each venue's wire format by <see cref="MicroWire"/>.
/// </summary>
public abstract record MicroEvent(long Ts);

/// <summary>The best bid and ask after a change (Binance: every change; OKX: every 10 ms with a change). Seq = the book's update id.</summary>
public sealed record QuoteEvent(long Ts, long Seq, long BidPx, long BidSz, long AskPx, long AskSz) : MicroEvent(Ts);

/// <summary>
/// One book diff message: every level touched since the previous one, with its size now (0 = gone). <see cref="FirstSeq"/>
/// (Binance U) = PrevSeq + 1, <see cref="Seq"/> (Binance u, OKX seqId) = the last update id, <see cref="PrevSeq"/> (pu,
/// prevSeqId) = the previous message's Seq. <see cref="Checksum"/>: OKX's CRC32 of the book after it (0 when disabled).
/// </summary>
public sealed record BookEvent(long Ts, long FirstSeq, long Seq, long PrevSeq, IReadOnlyList<(long Px, long Sz)> Bids,
    IReadOnlyList<(long Px, long Sz)> Asks, int Checksum) : MicroEvent(Ts);

/// <summary>A print of the tape as the book saw it (not sent by the micro feed; the trade feed sends it): for tests.</summary>
public sealed record TradeEvent(long Ts, long Ordinal, long Px, long Sz, bool Buy) : MicroEvent(Ts);

/// <summary>A forced liquidation order: Buy = the order buys (a short is closed).</summary>
public sealed record LiquidationEvent(long Ts, bool Buy, long Px, long AvgPx, long Sz) : MicroEvent(Ts);

/// <summary>Mark and index price (units of 10^-8), funding rate (units of 10^-8), next funding time.</summary>
public sealed record MarkEvent(long Ts, long Mark8, long Index8, long FundingRate8, long NextFundingTime) : MicroEvent(Ts);

/// <summary>OKX funding-rate push: the current rate (10^-8) applying at <see cref="FundingTime"/>, then the next time.</summary>
public sealed record FundingEvent(long Ts, long FundingRate8, long FundingTime, long NextFundingTime, long Mark8) : MicroEvent(Ts);

/// <summary>Open interest in size units (OKX contracts, Binance base) and the mark (10^-8) it is valued at.</summary>
public sealed record OpenInterestEvent(long Ts, long OiUnits, long Mark8) : MicroEvent(Ts);
