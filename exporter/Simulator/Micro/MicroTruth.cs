using Pipeline.Simulator.Market;
using Pipeline.Vault.Micro;

namespace Pipeline.Simulator.Micro;

/// <summary>
/// The vault records of what the simulator published (the ground truth a recorder must reproduce): the strings are
/// those on the wire, recvTs = ts, src "ws" (Binance open interest: "rest").
/// </summary>
public static class MicroTruth
{
    public static QuoteRecord Quote(SimInstrument i, QuoteEvent q)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(q);
        return new QuoteRecord
        {
            Exchange = i.Exchange, InstId = i.InstId, Ts = q.Ts, Seq = q.Seq,
            BidPx = i.FormatPrice(q.BidPx), BidSz = i.FormatSize(q.BidSz), AskPx = i.FormatPrice(q.AskPx), AskSz = i.FormatSize(q.AskSz),
            RecvTs = q.Ts, Src = "ws",
        };
    }

    /// <summary>A whole book as a snapshot line (seq = its update id).</summary>
    public static BookRecord Snapshot(SimInstrument i, BookState state, string src = "ws")
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(state);
        return new BookRecord
        {
            Exchange = i.Exchange, InstId = i.InstId, Type = BookRecordType.Snapshot, Ts = state.Ts, Seq = state.Seq,
            Bids = Levels(i, state.Bids), Asks = Levels(i, state.Asks), RecvTs = state.Ts, Src = src,
        };
    }

    /// <summary>A published diff as an update line (Binance: firstSeq = U; OKX: the checksum when non-zero).</summary>
    public static BookRecord Update(SimInstrument i, BookEvent b)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(b);
        return new BookRecord
        {
            Exchange = i.Exchange, InstId = i.InstId, Type = BookRecordType.Update, Ts = b.Ts, Seq = b.Seq, PrevSeq = b.PrevSeq,
            FirstSeq = i.IsBinance ? b.FirstSeq : null, Bids = Levels(i, b.Bids), Asks = Levels(i, b.Asks),
            Checksum = b.Checksum != 0 ? b.Checksum : null, RecvTs = b.Ts, Src = "ws",
        };
    }

    public static LiquidationRecord Liquidation(SimInstrument i, LiquidationEvent l)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(l);
        var sz = i.FormatSize(l.Sz);
        return i.IsBinance
            ? new LiquidationRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = l.Ts, Side = l.Buy ? "buy" : "sell", Px = i.FormatPrice(l.Px), Sz = sz,
                AvgPx = i.FormatPrice(l.AvgPx), FilledSz = sz, Status = "FILLED", RecvTs = l.Ts, Src = "ws",
            }
            : new LiquidationRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = l.Ts, Side = l.Buy ? "buy" : "sell", Px = i.FormatPrice(l.Px), Sz = sz,
                PosSide = l.Buy ? "short" : "long", BkLoss = "0", RecvTs = l.Ts, Src = "ws",
            };
    }

    /// <summary>Binance markPrice (mark, index, funding rate, next funding time) or OKX mark-price (mark only).</summary>
    public static DerivativesRecord Mark(SimInstrument i, MarkEvent m)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(m);
        return i.IsBinance
            ? new DerivativesRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = m.Ts, Channel = "markPrice", MarkPx = Fixed8(m.Mark8, trim: false),
                IndexPx = Fixed8(m.Index8, trim: false), FundingRate = Fixed8(m.FundingRate8, trim: false), NextFundingTime = m.NextFundingTime,
                RecvTs = m.Ts, Src = "ws",
            }
            : new DerivativesRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = m.Ts, Channel = MicroWire.OkxMarkPrice, MarkPx = Fixed8(m.Mark8, trim: true),
                RecvTs = m.Ts, Src = "ws",
            };
    }

    /// <summary>OKX index-tickers: the index price of the instrument's index, filed under the instrument.</summary>
    public static DerivativesRecord Index(SimInstrument i, MarkEvent m)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(m);
        return new DerivativesRecord
        {
            Exchange = i.Exchange, InstId = i.InstId, Ts = m.Ts, Channel = MicroWire.OkxIndexTickers, IndexPx = Fixed8(m.Index8, trim: true),
            RecvTs = m.Ts, Src = "ws",
        };
    }

    /// <summary>OKX funding-rate: the rate and its settlement time (<c>fundingTime</c>) as the next funding time.</summary>
    public static DerivativesRecord Funding(SimInstrument i, FundingEvent f)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(f);
        return new DerivativesRecord
        {
            Exchange = i.Exchange, InstId = i.InstId, Ts = f.Ts, Channel = MicroWire.OkxFundingRate, FundingRate = Fixed8(f.FundingRate8, trim: true),
            NextFundingTime = f.FundingTime, RecvTs = f.Ts, Src = "ws",
        };
    }

    /// <summary>OKX open-interest (oi contracts, oiCcy coin) or Binance REST openInterest (base).</summary>
    public static DerivativesRecord OpenInterest(SimInstrument i, OpenInterestEvent e)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(e);
        return i.IsBinance
            ? new DerivativesRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = e.Ts, Channel = "openInterest", OpenInterest = i.FormatSize(e.OiUnits),
                RecvTs = e.Ts, Src = "rest",
            }
            : new DerivativesRecord
            {
                Exchange = i.Exchange, InstId = i.InstId, Ts = e.Ts, Channel = MicroWire.OkxOpenInterest, OpenInterest = i.FormatSize(e.OiUnits),
                OpenInterestCcy = MicroWire.OkxOiValues(i, e).Ccy, RecvTs = e.Ts, Src = "ws",
            };
    }

    public static IReadOnlyList<BookLevel> Levels(SimInstrument i, IReadOnlyList<(long Px, long Sz)> levels)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(levels);
        return [.. levels.Select(l => new BookLevel(i.FormatPrice(l.Px), i.FormatSize(l.Sz)))];
    }

    private static string Fixed8(long units, bool trim) => SimNumber.Format(units, 8, trim);
}
