using System.Buffers;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Micro;

/// <summary>
/// The venues' wire formats of the simulated microstructure (OKX v5 public channels, Binance USD-M streams), written
/// the way the exchanges write them: OKX numbers as trimmed strings and times as strings, Binance prices/sizes as
/// strings with the tick's/step's decimals and times as JSON numbers.
/// </summary>
public static class MicroWire
{
    public const string OkxBooks = "books";
    public const string OkxBbo = "bbo-tbt";
    public const string OkxLiquidations = "liquidation-orders";
    public const string OkxMarkPrice = "mark-price";
    public const string OkxFundingRate = "funding-rate";
    public const string OkxOpenInterest = "open-interest";
    public const string OkxIndexTickers = "index-tickers";

    /// <summary>The OKX channel name of a micro channel.</summary>
    public static string OkxChannel(MicroChannel channel) => channel switch
    {
        MicroChannel.Quotes => OkxBbo,
        MicroChannel.Book => OkxBooks,
        MicroChannel.Liquidations => OkxLiquidations,
        MicroChannel.MarkPrice => OkxMarkPrice,
        MicroChannel.FundingRate => OkxFundingRate,
        MicroChannel.OpenInterest => OkxOpenInterest,
        MicroChannel.IndexTickers => OkxIndexTickers,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a channel"),
    };

    public static MicroChannel? FromOkxChannel(string channel) => channel switch
    {
        OkxBbo => MicroChannel.Quotes,
        OkxBooks => MicroChannel.Book,
        OkxLiquidations => MicroChannel.Liquidations,
        OkxMarkPrice => MicroChannel.MarkPrice,
        OkxFundingRate => MicroChannel.FundingRate,
        OkxOpenInterest => MicroChannel.OpenInterest,
        OkxIndexTickers => MicroChannel.IndexTickers,
        _ => null,
    };

    /// <summary>The Binance stream suffix of a micro channel (null: not a stream on Binance).</summary>
    public static string? BinanceSuffix(MicroChannel channel) => channel switch
    {
        MicroChannel.Quotes => "@bookTicker",
        MicroChannel.Book => "@depth@100ms",
        MicroChannel.Liquidations => "@forceOrder",
        MicroChannel.MarkPrice => "@markPrice@1s",
        _ => null,
    };

    /// <summary>Binance routes bookTicker and depth to /public (and the legacy root), markPrice and forceOrder to /market.</summary>
    public static bool BinancePublic(MicroChannel channel) => channel is MicroChannel.Quotes or MicroChannel.Book;

    // ---- OKX ----

    /// <summary><c>bbo-tbt</c>: one level each side as [px, sz, "0", orders], ts string, seqId number.</summary>
    public static void OkxQuote(IBufferWriter<byte> o, SimInstrument i, QuoteEvent q)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(q);
        OkxArg(o, OkxBbo, i.InstId);
        o.Raw("\"data\":[{\"asks\":["u8);
        if (q.AskPx > 0)
        {
            OkxLevel(o, i, q.AskPx, q.AskSz);
        }

        o.Raw("],\"bids\":["u8);
        if (q.BidPx > 0)
        {
            OkxLevel(o, i, q.BidPx, q.BidSz);
        }

        o.Raw("],\"ts\":\""u8);
        o.WholeNumber(q.Ts);
        o.Raw("\",\"seqId\":"u8);
        o.WholeNumber(q.Seq);
        o.Raw("}]}"u8);
    }

    /// <summary><c>books</c> snapshot (prevSeqId -1) or update; checksum a signed 32-bit number.</summary>
    public static void OkxBook(IBufferWriter<byte> o, SimInstrument i, bool snapshot, long ts, IReadOnlyList<(long Px, long Sz)> bids,
        IReadOnlyList<(long Px, long Sz)> asks, long checksum, long prevSeqId, long seqId)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        OkxArg(o, OkxBooks, i.InstId);
        o.Raw(snapshot ? "\"action\":\"snapshot\",\"data\":[{\"asks\":["u8 : "\"action\":\"update\",\"data\":[{\"asks\":["u8);
        OkxLevels(o, i, asks);
        o.Raw("],\"bids\":["u8);
        OkxLevels(o, i, bids);
        o.Raw("],\"ts\":\""u8);
        o.WholeNumber(ts);
        o.Raw("\",\"checksum\":"u8);
        o.WholeNumber(checksum);
        o.Raw(",\"prevSeqId\":"u8);
        o.WholeNumber(prevSeqId);
        o.Raw(",\"seqId\":"u8);
        o.WholeNumber(seqId);
        o.Raw("}]}"u8);
    }

    /// <summary><c>liquidation-orders</c> (subscribed by instType SWAP): one detail; side = the order's side, posSide the closed position.</summary>
    public static void OkxLiquidation(IBufferWriter<byte> o, SimInstrument i, LiquidationEvent l)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(l);
        o.Raw("{\"arg\":{\"channel\":\"liquidation-orders\",\"instType\":\"SWAP\"},\"data\":[{\"details\":[{\"bkLoss\":\"0\",\"bkPx\":\""u8);
        o.Number(l.Px, i.PriceScale, trim: true);
        o.Raw(l.Buy ? "\",\"ccy\":\"\",\"posSide\":\"short\",\"side\":\"buy\",\"sz\":\""u8 : "\",\"ccy\":\"\",\"posSide\":\"long\",\"side\":\"sell\",\"sz\":\""u8);
        o.Number(l.Sz, i.SizeScale, trim: true);
        o.Raw("\",\"ts\":\""u8);
        o.WholeNumber(l.Ts);
        o.Raw("\"}],\"instFamily\":\""u8);
        o.Ascii(i.Family);
        o.Raw("\",\"instId\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"instType\":\"SWAP\",\"uly\":\""u8);
        o.Ascii(i.Family);
        o.Raw("\"}]}"u8);
    }

    public static void OkxMark(IBufferWriter<byte> o, SimInstrument i, MarkEvent m)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(m);
        OkxArg(o, OkxMarkPrice, i.InstId);
        o.Raw("\"data\":[{\"instId\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"instType\":\"SWAP\",\"markPx\":\""u8);
        o.Number(m.Mark8, 8, trim: true);
        o.Raw("\",\"ts\":\""u8);
        o.WholeNumber(m.Ts);
        o.Raw("\"}]}"u8);
    }

    /// <summary>
    /// <c>index-tickers</c> of the instrument's index (its family, <c>BTC-USDT</c>): <c>idxPx</c> and <c>ts</c> as OKX's push
    /// carries them (the 24 h statistics the real push adds are not simulated).
    /// </summary>
    public static void OkxIndex(IBufferWriter<byte> o, SimInstrument i, MarkEvent m)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(m);
        OkxArg(o, OkxIndexTickers, i.Family);
        o.Raw("\"data\":[{\"instId\":\""u8);
        o.Ascii(i.Family);
        o.Raw("\",\"idxPx\":\""u8);
        o.Number(m.Index8, 8, trim: true);
        o.Raw("\",\"ts\":\""u8);
        o.WholeNumber(m.Ts);
        o.Raw("\"}]}"u8);
    }

    /// <summary><c>funding-rate</c>: fundingTime = the next settlement (the rate applies then), nextFundingTime the one after.</summary>
    public static void OkxFunding(IBufferWriter<byte> o, SimInstrument i, FundingEvent f)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(f);
        OkxArg(o, OkxFundingRate, i.InstId);
        o.Raw("\"data\":[{\"fundingRate\":\""u8);
        o.Number(f.FundingRate8, 8, trim: true);
        o.Raw("\",\"fundingTime\":\""u8);
        o.WholeNumber(f.FundingTime);
        o.Raw("\",\"instId\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"instType\":\"SWAP\",\"method\":\"current_period\",\"maxFundingRate\":\"0.00375\",\"minFundingRate\":\"-0.00375\",\"nextFundingRate\":\"\",\"nextFundingTime\":\""u8);
        o.WholeNumber(f.NextFundingTime);
        o.Raw("\",\"premium\":\""u8);
        o.Number(f.FundingRate8 - 10_000, 8, trim: true);
        o.Raw("\",\"settFundingRate\":\""u8);
        o.Number(f.FundingRate8, 8, trim: true);
        o.Raw("\",\"settState\":\"settled\",\"ts\":\""u8);
        o.WholeNumber(f.Ts);
        o.Raw("\"}]}"u8);
    }

    public static void OkxOi(IBufferWriter<byte> o, SimInstrument i, OpenInterestEvent e)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(e);
        var (ccy, usd) = OkxOiValues(i, e);
        OkxArg(o, OkxOpenInterest, i.InstId);
        o.Raw("\"data\":[{\"instId\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"instType\":\"SWAP\",\"oi\":\""u8);
        o.Number(e.OiUnits, i.SizeScale, trim: true);
        o.Raw("\",\"oiCcy\":\""u8);
        o.Ascii(ccy);
        o.Raw("\",\"oiUsd\":\""u8);
        o.Ascii(usd);
        o.Raw("\",\"ts\":\""u8);
        o.WholeNumber(e.Ts);
        o.Raw("\"}]}"u8);
    }

    /// <summary>OKX oiCcy (coin) and oiUsd of an open interest in contracts, to 8 decimals, trimmed.</summary>
    public static (string Ccy, string Usd) OkxOiValues(SimInstrument i, OpenInterestEvent e)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(e);
        var contracts = e.OiUnits / Scale(i.SizeScale);
        var ctVal = decimal.Parse(i.CtVal, System.Globalization.CultureInfo.InvariantCulture);
        var mark = e.Mark8 / 100_000_000m;
        var inverse = i.CtType == "inverse";
        var ccy = inverse ? contracts * ctVal / mark : contracts * ctVal;
        var usd = inverse ? contracts * ctVal : ccy * mark;
        return (Text(ccy), Text(usd));
    }

    // ---- Binance ----

    public static void BinanceBookTicker(IBufferWriter<byte> o, SimInstrument i, QuoteEvent q)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(q);
        o.Raw("{\"e\":\"bookTicker\",\"u\":"u8);
        o.WholeNumber(q.Seq);
        o.Raw(",\"E\":"u8);
        o.WholeNumber(q.Ts);
        o.Raw(",\"T\":"u8);
        o.WholeNumber(q.Ts);
        o.Raw(",\"s\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"b\":\""u8);
        o.Number(q.BidPx, i.PriceScale, trim: false);
        o.Raw("\",\"B\":\""u8);
        o.Number(q.BidSz, i.SizeScale, trim: false);
        o.Raw("\",\"a\":\""u8);
        o.Number(q.AskPx, i.PriceScale, trim: false);
        o.Raw("\",\"A\":\""u8);
        o.Number(q.AskSz, i.SizeScale, trim: false);
        o.Raw("\"}"u8);
    }

    /// <summary><c>depthUpdate</c>: U first update id, u last, pu the previous event's u; b/a the changed levels (quantity 0 removes).</summary>
    public static void BinanceDepth(IBufferWriter<byte> o, SimInstrument i, BookEvent b)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(b);
        o.Raw("{\"e\":\"depthUpdate\",\"E\":"u8);
        o.WholeNumber(b.Ts);
        o.Raw(",\"T\":"u8);
        o.WholeNumber(b.Ts);
        o.Raw(",\"s\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"U\":"u8);
        o.WholeNumber(b.FirstSeq);
        o.Raw(",\"u\":"u8);
        o.WholeNumber(b.Seq);
        o.Raw(",\"pu\":"u8);
        o.WholeNumber(b.PrevSeq);
        o.Raw(",\"b\":["u8);
        BinanceLevels(o, i, b.Bids);
        o.Raw("],\"a\":["u8);
        BinanceLevels(o, i, b.Asks);
        o.Raw("]}"u8);
    }

    public static void BinanceForceOrder(IBufferWriter<byte> o, SimInstrument i, LiquidationEvent l)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(l);
        o.Raw("{\"e\":\"forceOrder\",\"E\":"u8);
        o.WholeNumber(l.Ts);
        o.Raw(",\"o\":{\"s\":\""u8);
        o.Ascii(i.InstId);
        o.Raw(l.Buy ? "\",\"S\":\"BUY\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\""u8 : "\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\""u8);
        o.Number(l.Sz, i.SizeScale, trim: false);
        o.Raw("\",\"p\":\""u8);
        o.Number(l.Px, i.PriceScale, trim: false);
        o.Raw("\",\"ap\":\""u8);
        o.Number(l.AvgPx, i.PriceScale, trim: false);
        o.Raw("\",\"X\":\"FILLED\",\"l\":\""u8);
        o.Number(l.Sz, i.SizeScale, trim: false);
        o.Raw("\",\"z\":\""u8);
        o.Number(l.Sz, i.SizeScale, trim: false);
        o.Raw("\",\"T\":"u8);
        o.WholeNumber(l.Ts);
        o.Raw("}}"u8);
    }

    /// <summary><c>markPriceUpdate</c>: p mark, i index, P estimated settle price, r funding rate (8 decimals), T next funding time.</summary>
    public static void BinanceMark(IBufferWriter<byte> o, SimInstrument i, MarkEvent m)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(m);
        o.Raw("{\"e\":\"markPriceUpdate\",\"E\":"u8);
        o.WholeNumber(m.Ts);
        o.Raw(",\"s\":\""u8);
        o.Ascii(i.InstId);
        o.Raw("\",\"p\":\""u8);
        o.Number(m.Mark8, 8, trim: false);
        o.Raw("\",\"i\":\""u8);
        o.Number(m.Index8, 8, trim: false);
        o.Raw("\",\"P\":\""u8);
        o.Number(m.Mark8, 8, trim: false);
        o.Raw("\",\"r\":\""u8);
        o.Number(m.FundingRate8, 8, trim: false);
        o.Raw("\",\"T\":"u8);
        o.WholeNumber(m.NextFundingTime);
        o.Raw("}"u8);
    }

    /// <summary>Decimal text for the derived OKX values: at most 8 decimals, no trailing zeros.</summary>
    public static string Text(decimal value) =>
        Math.Round(value, 8, MidpointRounding.ToEven).ToString("0.########", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The orders count OKX writes as a level's fourth element (deterministic; "0" for a removed level).</summary>
    public static long Orders(long px, long sz) => sz == 0 ? 0 : 1 + (long)(SimHash.Mix((ulong)(px ^ (sz << 20))) % 9);

    private static decimal Scale(int scale)
    {
        var r = 1m;
        for (var k = 0; k < scale; k++)
        {
            r *= 10;
        }

        return r;
    }

    private static void OkxArg(IBufferWriter<byte> o, string channel, string instId)
    {
        o.Raw("{\"arg\":{\"channel\":\""u8);
        o.Ascii(channel);
        o.Raw("\",\"instId\":\""u8);
        o.Ascii(instId);
        o.Raw("\"},"u8);
    }

    private static void OkxLevels(IBufferWriter<byte> o, SimInstrument i, IReadOnlyList<(long Px, long Sz)> levels)
    {
        for (var k = 0; k < levels.Count; k++)
        {
            if (k > 0)
            {
                o.Raw(","u8);
            }

            OkxLevel(o, i, levels[k].Px, levels[k].Sz);
        }
    }

    private static void OkxLevel(IBufferWriter<byte> o, SimInstrument i, long px, long sz)
    {
        o.Raw("[\""u8);
        o.Number(px, i.PriceScale, trim: true);
        o.Raw("\",\""u8);
        o.Number(sz, i.SizeScale, trim: true);
        o.Raw("\",\"0\",\""u8);
        o.WholeNumber(Orders(px, sz));
        o.Raw("\"]"u8);
    }

    private static void BinanceLevels(IBufferWriter<byte> o, SimInstrument i, IReadOnlyList<(long Px, long Sz)> levels)
    {
        for (var k = 0; k < levels.Count; k++)
        {
            o.Raw(k > 0 ? ",[\""u8 : "[\""u8);
            o.Number(levels[k].Px, i.PriceScale, trim: false);
            o.Raw("\",\""u8);
            o.Number(levels[k].Sz, i.SizeScale, trim: false);
            o.Raw("\"]"u8);
        }
    }
}
