using System.Buffers;
using System.Text;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Simulator.Micro;

/// <summary>
/// The simulated book against its own tape and against independent rebuilds: it never crosses, every print happens
/// at the touch, the diff sequences chain, the OKX checksum is the CRC32 of the book a client rebuilds, and the same
/// seed gives the same messages.
/// </summary>
public sealed class MicroMarketTests
{
    private static readonly long Start = SimTestKit.PastStart.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("BTC-USDT-SWAP")]
    [InlineData("BTCUSDT")]
    [InlineData("BTC-USD-SWAP")]
    public void MicroMarket_TwoMinutes_RebuiltBookNeverCrossesAndEqualsThePublishedBook(string instId)
    {
        var (engine, events) = Run(instId, seed: 5, minutes: 2);
        var i = engine.Instrument;
        var book = new OrderBook();
        book.Apply(MicroTruth.Snapshot(i, InitialBook(instId, 5)));
        var updates = 0;
        foreach (var b in events.OfType<BookEvent>())
        {
            book.Apply(MicroTruth.Update(i, b));
            updates++;
            Assert.True(book.BestBid is not null && book.BestAsk is not null, $"a side is empty at seq {b.Seq}");
            Assert.True(ExactDecimal.Parse(book.BestBid!.Px) < ExactDecimal.Parse(book.BestAsk!.Px),
                $"crossed at seq {b.Seq}: bid {book.BestBid.Px} ask {book.BestAsk.Px}");
        }

        Assert.True(updates > 600, $"{updates} book updates in 2 minutes");
        var published = MicroTruth.Snapshot(i, engine.Published());
        Assert.Equal(published.Bids, book.Bids());
        Assert.Equal(published.Asks, book.Asks());
    }

    [Fact]
    public void MicroMarket_EveryPrint_HappensAtTheTouchWithTheSizeThere()
    {
        // Binance quotes follow every change, so the quote before a print is the book the taker met.
        var (_, events) = Run("BTCUSDT", seed: 7, minutes: 2, trades: true);
        QuoteEvent? last = null;
        var prints = 0;
        foreach (var e in events)
        {
            switch (e)
            {
                case QuoteEvent q:
                    Assert.True(q.BidPx < q.AskPx, $"crossed quote at {q.Ts}");
                    last = q;
                    break;
                case TradeEvent t:
                    prints++;
                    Assert.NotNull(last);
                    if (t.Buy)
                    {
                        Assert.True(last.AskPx == t.Px && last.AskSz >= t.Sz, $"buy {t.Sz}@{t.Px} met ask {last.AskSz}@{last.AskPx}");
                    }
                    else
                    {
                        Assert.True(last.BidPx == t.Px && last.BidSz >= t.Sz, $"sell {t.Sz}@{t.Px} met bid {last.BidSz}@{last.BidPx}");
                    }

                    break;
            }
        }

        // Every print of the tape in the span, counted from the generator itself.
        var market = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 7, 50);
        Assert.Equal(market.PrintsBetween(Start, Start + 120_000).Count(), prints);
    }

    [Theory]
    [InlineData("BTC-USDT-SWAP")]
    [InlineData("ETHUSDT")]
    public void MicroMarket_BookMessages_ChainWithoutGapsAndQuotesNeverGoBack(string instId)
    {
        var (_, events) = Run(instId, seed: 11, minutes: 1);
        var prev = InitialBook(instId, 11).Seq;
        foreach (var b in events.OfType<BookEvent>())
        {
            Assert.Equal(prev, b.PrevSeq);
            Assert.Equal(prev + 1, b.FirstSeq);
            Assert.True(b.Seq >= b.FirstSeq, $"U {b.FirstSeq} > u {b.Seq}");
            Assert.Equal(0, b.Ts % MicroMarket.BookIntervalMs);
            prev = b.Seq;
        }

        var quotes = events.OfType<QuoteEvent>().ToList();
        Assert.NotEmpty(quotes);
        Assert.All(quotes.Zip(quotes.Skip(1)), pair => Assert.True(pair.Second.Seq >= pair.First.Seq && pair.Second.Ts >= pair.First.Ts));
    }

    [Fact]
    public void OkxBookChecksum_EveryUpdate_EqualsAnIndependentCrc32OverTheRebuiltBook()
    {
        Assert.Equal(0xCBF43926u, OkxBookChecksum.Crc32("123456789"u8));
        Assert.Equal(0xCBF43926u, BitwiseCrc32("123456789"u8));

        var (engine, events) = Run("BTC-USDT-SWAP", seed: 13, minutes: 1);
        var i = engine.Instrument;
        var book = new OrderBook();
        book.Apply(MicroTruth.Snapshot(i, InitialBook("BTC-USDT-SWAP", 13)));
        var checkedCount = 0;
        foreach (var b in events.OfType<BookEvent>())
        {
            book.Apply(MicroTruth.Update(i, b));
            Assert.NotEqual(0, b.Checksum);
            Assert.Equal(IndependentChecksum(book), b.Checksum);
            checkedCount++;
        }

        Assert.True(checkedCount > 300, $"{checkedCount} checksums");
    }

    [Fact]
    public void OkxBookChecksum_HandWorkedBook_MatchesTheDocumentedStringAndCrc()
    {
        // Three bids, one ask: the ask side ends first and the bids continue alone.
        var text = OkxBookChecksum.Text([("3366.1", "7"), ("3366", "6"), ("3365.9", "1")], [("3366.8", "9")]);
        Assert.Equal("3366.1:7:3366.8:9:3366:6:3365.9:1", text);
        Assert.Equal(unchecked((int)BitwiseCrc32(Encoding.ASCII.GetBytes(text))),
            OkxBookChecksum.Compute([("3366.1", "7"), ("3366", "6"), ("3365.9", "1")], [("3366.8", "9")]));
    }

    [Fact]
    public void MicroMarket_ChecksumOff_SendsZeroLikeOkxAfterJune2026()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 3, 50);
        var engine = new MicroMarket(market, Start, okxChecksum: false);
        var events = new List<MicroEvent>();
        engine.AdvanceTo(Start + 10_000, events);

        Assert.NotEmpty(events.OfType<BookEvent>());
        Assert.All(events.OfType<BookEvent>(), b => Assert.Equal(0, b.Checksum));
        Assert.Null(MicroTruth.Update(engine.Instrument, events.OfType<BookEvent>().First()).Checksum);
    }

    [Theory]
    [InlineData("BTC-USDT-SWAP")]
    [InlineData("BTCUSDT")]
    public void MicroMarket_SameSeed_SameFramesInAnySteps_OtherSeed_Others(string instId)
    {
        var one = Frames(instId, seed: 21, steps: [60_000]);
        var two = Frames(instId, seed: 21, steps: [7, 1_000, 1_001, 33_333, 60_000]);
        var other = Frames(instId, seed: 22, steps: [60_000]);

        Assert.True(one.Count > 1000, $"{one.Count} frames");
        Assert.Equal(one, two);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void MicroMarket_Derivatives_MarkEverySecondFundingAndOpenInterestOnTheirSchedules()
    {
        var (engine, events) = Run("BTC-USDT-SWAP", seed: 2, minutes: 1);
        var marks = events.OfType<MarkEvent>().ToList();
        Assert.Equal(60, marks.Count);
        Assert.All(marks, m => Assert.Equal(0, m.Ts % 1000));
        Assert.All(marks, m => Assert.Equal(0, m.NextFundingTime % MicroMarket.FundingPeriodMs));
        Assert.All(marks, m => Assert.True(m.NextFundingTime > m.Ts && m.NextFundingTime - m.Ts <= MicroMarket.FundingPeriodMs));
        Assert.Equal(2, events.OfType<FundingEvent>().Count()); // every 30 s
        Assert.All(events.OfType<OpenInterestEvent>(), o => Assert.Equal(0, o.Ts % 3000));

        // At a 3-second mark the push (when it changed) is the open interest measured then.
        engine.AdvanceTo(Start + 60_000, events);
        Assert.Equal(Start + 60_000, engine.OpenInterest.Ts);
        Assert.Equal(engine.OpenInterest.Units, events.OfType<OpenInterestEvent>().Last().OiUnits);
    }

    private static (MicroMarket Engine, List<MicroEvent> Events) Run(string instId, ulong seed, int minutes, bool trades = false)
    {
        var market = new MarketGenerator(SimInstruments.Find(instId), seed, 50);
        var engine = new MicroMarket(market, Start) { EmitTrades = trades };
        var events = new List<MicroEvent>();
        for (var t = Start + 999; t <= Start + minutes * 60_000L; t += 1000)
        {
            engine.AdvanceTo(t, events);
        }

        return (engine, events);
    }

    private static BookState InitialBook(string instId, ulong seed) =>
        new MicroMarket(new MarketGenerator(SimInstruments.Find(instId), seed, 50), Start).Published();

    private static List<string> Frames(string instId, ulong seed, long[] steps)
    {
        var market = new MarketGenerator(SimInstruments.Find(instId), seed, 50);
        var engine = new MicroMarket(market, Start);
        var i = engine.Instrument;
        var events = new List<MicroEvent>();
        foreach (var step in steps)
        {
            engine.AdvanceTo(Start + step, events);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var frames = new List<string>();
        foreach (var e in events)
        {
            buffer.ResetWrittenCount();
            switch (e)
            {
                case BookEvent b when i.IsOkx:
                    MicroWire.OkxBook(buffer, i, false, b.Ts, b.Bids, b.Asks, b.Checksum, b.PrevSeq, b.Seq);
                    break;
                case BookEvent b:
                    MicroWire.BinanceDepth(buffer, i, b);
                    break;
                case QuoteEvent q when i.IsOkx:
                    MicroWire.OkxQuote(buffer, i, q);
                    break;
                case QuoteEvent q:
                    MicroWire.BinanceBookTicker(buffer, i, q);
                    break;
                case LiquidationEvent l when i.IsOkx:
                    MicroWire.OkxLiquidation(buffer, i, l);
                    break;
                case LiquidationEvent l:
                    MicroWire.BinanceForceOrder(buffer, i, l);
                    break;
                case MarkEvent m when i.IsOkx:
                    MicroWire.OkxMark(buffer, i, m);
                    break;
                case MarkEvent m:
                    MicroWire.BinanceMark(buffer, i, m);
                    break;
                default:
                    continue;
            }

            frames.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        return frames;
    }

    /// <summary>The OKX checksum computed from the vault's OrderBook strings with a bit-by-bit CRC32 (not the product's table).</summary>
    internal static int IndependentChecksum(OrderBook book)
    {
        var bids = book.Bids(25);
        var asks = book.Asks(25);
        var parts = new List<string>();
        for (var k = 0; k < 25; k++)
        {
            if (k < bids.Count)
            {
                parts.Add(bids[k].Px + ":" + bids[k].Sz);
            }

            if (k < asks.Count)
            {
                parts.Add(asks[k].Px + ":" + asks[k].Sz);
            }
        }

        return unchecked((int)BitwiseCrc32(Encoding.ASCII.GetBytes(string.Join(':', parts))));
    }

    internal static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
