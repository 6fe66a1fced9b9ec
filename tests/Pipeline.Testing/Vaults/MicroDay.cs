using System.Globalization;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Testing.Vaults;

/// <summary>
/// A synthetic microstructure day written as the recorders write it (<see cref="MicroLineWriter"/> lines in the
/// vault's raw/{exchange}/{kind}_perps layout): quotes with sizes, trades between them, and a book (snapshot, updates,
/// one resync and a new snapshot). Prices have 1 decimal and sizes 3, so DuckDB DECIMALs hold them exactly.
/// </summary>
public static class MicroDay
{
    public static long Start(DateOnly day) => TestVault.T(day, 0, 0);

    /// <summary>Writes <paramref name="minutes"/> minutes from 00:00 with every 7th minute quiet; returns the last event ts.</summary>
    public static long Write(TestVault v, DateOnly day, int minutes, int seed = 5)
    {
        var random = new Random(seed);
        var quotes = new List<string>();
        var book = new List<string>();
        var trades = new List<RawTrade>();
        var mid = 1000m;
        long seq = 1, bookSeq = 100, tradeId = 1, last = 0;
        book.Add(L(Book(BookRecordType.Snapshot, Start(day), bookSeq, null, Levels(mid, random))));
        for (var m = 0; m < minutes; m++)
        {
            if (m % 7 == 6)
            {
                continue; // a quiet minute: values carry over
            }

            var t0 = Start(day) + (m * 60_000L);
            for (var i = 0; i < 20; i++)
            {
                var ts = t0 + (i * 2_900) + random.Next(0, 100);
                mid += random.Next(-2, 3) * 0.1m;
                var spread = random.Next(1, 3) * 0.1m;
                quotes.Add(L(new QuoteRecord
                {
                    Exchange = TestVault.Exchange, InstId = TestVault.InstId, Ts = ts, Seq = seq++,
                    BidPx = S(mid), BidSz = S(random.Next(1, 5000) / 1000m), AskPx = S(mid + spread), AskSz = S(random.Next(1, 5000) / 1000m),
                    RecvTs = ts + 3, Src = "ws",
                }));
                if (i % 2 == 0)
                {
                    var px = mid + (random.Next(0, 2) * spread);
                    trades.Add(TestVault.Trade(ts + 1, S(px), S(random.Next(1, 8000) / 1000m), random.Next(2) == 0 ? "buy" : "sell",
                        (tradeId++).ToString(CultureInfo.InvariantCulture)));
                }

                if (i % 5 == 0)
                {
                    var type = m == 30 && i == 10 ? BookRecordType.Resync : BookRecordType.Update;
                    if (type == BookRecordType.Resync)
                    {
                        book.Add(L(Book(BookRecordType.Resync, ts, null, null, ([], [])) with { Reason = "gap: test" }));
                        bookSeq += 50;
                        book.Add(L(Book(BookRecordType.Snapshot, ts + 2, bookSeq, null, Levels(mid, random))));
                    }
                    else
                    {
                        bookSeq++;
                        book.Add(L(Book(BookRecordType.Update, ts, bookSeq, bookSeq - 1,
                            ([new BookLevel(S(mid), S(random.Next(0, 3000) / 1000m))], [new BookLevel(S(mid + 0.3m), S(random.Next(1, 3000) / 1000m))]))));
                    }
                }

                last = ts + 2;
            }
        }

        TestVault.WriteLines(v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, day), [.. quotes]);
        TestVault.WriteLines(v.Layout.MicroDayJsonl(MicroKind.Book, TestVault.Exchange, TestVault.InstId, day), [.. book]);
        v.Append(trades);
        return last;
    }

    private static (List<BookLevel> Bids, List<BookLevel> Asks) Levels(decimal mid, Random random)
    {
        var bids = Enumerable.Range(0, 10).Select(i => new BookLevel(S(mid - (i * 0.1m)), S(random.Next(1, 9000) / 1000m))).ToList();
        var asks = Enumerable.Range(1, 10).Select(i => new BookLevel(S(mid + (i * 0.1m)), S(random.Next(1, 9000) / 1000m))).ToList();
        return (bids, asks);
    }

    private static BookRecord Book(BookRecordType type, long ts, long? seq, long? prev, (List<BookLevel> Bids, List<BookLevel> Asks) levels) => new()
    {
        Exchange = TestVault.Exchange, InstId = TestVault.InstId, Type = type, Ts = ts, Seq = seq, PrevSeq = prev,
        Bids = levels.Bids, Asks = levels.Asks, RecvTs = ts + 4, Src = "ws",
    };

    /// <summary>The recorder's line without its '\n' (WriteLines adds it).</summary>
    public static string L(object record) => MicroLineWriter.ToLine(record).TrimEnd('\n');

    private static string S(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
