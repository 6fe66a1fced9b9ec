using System.Text.Json;
using Pipeline.Calculators.BookDepth;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Micro;
using Pipeline.Calculators.MicroPrice;
using Pipeline.Calculators.Ofi;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Vpin;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Micro;

namespace Pipeline.Calculators.Tests.Micro;

/// <summary>
/// The fixture day of calculators/README.md ("Fixture day"): three minutes of book, quote and trade lines worked by
/// hand, with OFI window 2, VPIN buckets of 2 (n = 2) and depth within 10 bps. Every value written is the
/// documented one, and the query views read them back.
/// </summary>
public sealed class MicroFixtureDayTests
{
    private static readonly DateOnly Day = TestVault.Day1;
    private static readonly CalcOptions Options = new() { OfiWindowMinutes = 2, RobustZMinutes = 2, VpinBucketVolume = 2m, VpinBuckets = 2, DepthBps = 10m };

    /// <summary>Writes the README's fixture day into <paramref name="v"/>.</summary>
    private static void Write(TestVault v)
    {
        static long T(int m, int s, int ms = 0) => TestVault.T(Day, 0, m, s, ms);
        static QuoteRecord Q(long ts, long seq, string bid, string bidSz, string ask, string askSz) => new()
        {
            Exchange = TestVault.Exchange, InstId = TestVault.InstId, Ts = ts, Seq = seq, BidPx = bid, BidSz = bidSz, AskPx = ask, AskSz = askSz,
            RecvTs = ts + 3, Src = "ws",
        };
        static BookRecord B(BookRecordType type, long ts, long? seq, long? prev, string[][] bids, string[][] asks, string? reason = null) => new()
        {
            Exchange = TestVault.Exchange, InstId = TestVault.InstId, Type = type, Ts = ts, Seq = seq, PrevSeq = prev,
            Bids = [.. bids.Select(l => new BookLevel(l[0], l[1]))], Asks = [.. asks.Select(l => new BookLevel(l[0], l[1]))], Reason = reason,
            RecvTs = ts + 4, Src = type == BookRecordType.Snapshot ? "rest" : "ws",
        };

        TestVault.WriteLines(v.Layout.MicroDayJsonl(MicroKind.Book, TestVault.Exchange, TestVault.InstId, Day),
            MicroDay.L(B(BookRecordType.Snapshot, T(0, 0), 10, null, [["100.0", "2"], ["99.9", "3"], ["99.8", "5"]], [["100.1", "1"], ["100.2", "4"], ["100.3", "6"]])),
            MicroDay.L(B(BookRecordType.Update, T(1, 5), 11, 10, [["100.0", "0"], ["100.1", "2"]], [["100.1", "0"], ["100.2", "3"]])),
            MicroDay.L(B(BookRecordType.Resync, T(2, 0, 500), null, null, [], [], "gap: prevSeq 14 after seq 11")),
            MicroDay.L(B(BookRecordType.Snapshot, T(2, 1), 20, null, [["100.0", "1"]], [["100.1", "1"]])));
        TestVault.WriteLines(v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day),
            MicroDay.L(Q(T(0, 1), 1, "100.0", "2", "100.1", "1")),
            MicroDay.L(Q(T(0, 20), 2, "100.0", "4", "100.1", "1")),
            MicroDay.L(Q(T(0, 40), 3, "100.1", "1", "100.2", "3")),
            MicroDay.L(Q(T(1, 10), 4, "100.1", "2", "100.2", "3")));
        v.Append([
            TestVault.Trade(T(0, 10), "100.1", "1", "buy", "1"), TestVault.Trade(T(0, 30), "100.0", "1.5", "sell", "2"),
            TestVault.Trade(T(0, 50), "100.2", "1", "buy", "3"), TestVault.Trade(T(1, 20), "100.2", "3", "buy", "4"),
            TestVault.Trade(T(2, 30), "100.0", "0.5", "sell", "5"),
        ]);
        v.Watermark(T(3, 5));
    }

    [Fact]
    public void Calc_ReadmeFixtureDay_WritesTheDocumentedValues()
    {
        using var v = TestVault.Create();
        Write(v);
        v.Calc(Options);
        string[] ofi =
        [
            """{"minute":"2025-12-14T00:00:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","ofi":"4","ofiRolling":null,"quotes":3,"ofiZ":null}""",
            """{"minute":"2025-12-14T00:01:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","ofi":"1","ofiRolling":"5","quotes":1,"ofiZ":null}""",
            """{"minute":"2025-12-14T00:02:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","ofi":"0","ofiRolling":"1","quotes":0,"ofiZ":"-1.124151265794325284410270246"}""",
        ];
        Assert.Equal(ofi, v.Lines("ofi", Day));
        string[] micro =
        [
            """{"minute":"2025-12-14T00:00:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","microPrice":"100.125","mid":"100.15","imbalance":"-0.5","lastTradePx":"100.2","divergence":"-0.075","divergenceBps":"-7.4850299401197604790419161677","divergenceZ":null}""",
            """{"minute":"2025-12-14T00:01:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","microPrice":"100.14","mid":"100.15","imbalance":"-0.2","lastTradePx":"100.2","divergence":"-0.06","divergenceBps":"-5.9880239520958083832335329341","divergenceZ":null}""",
            """{"minute":"2025-12-14T00:02:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","microPrice":"100.14","mid":"100.15","imbalance":"-0.2","lastTradePx":"100","divergence":"0.14","divergenceBps":"14","divergenceZ":"18.686092000539592607581276135"}""",
        ];
        Assert.Equal(micro, v.Lines("microprice", Day));
        string[] vpin =
        [
            """{"minute":"2025-12-14T00:00:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vpin":null,"buckets":1,"bucketsTotal":1}""",
            """{"minute":"2025-12-14T00:01:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vpin":"0.75","buckets":1,"bucketsTotal":2}""",
            """{"minute":"2025-12-14T00:02:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vpin":"0.75","buckets":1,"bucketsTotal":3}""",
        ];
        Assert.Equal(vpin, v.Lines("vpin", Day));
        string[] book =
        [
            """{"minute":"2025-12-14T00:00:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","mid":"100.05","imbalance":"0.3333333333333333333333333333","bidDepth":"2","askDepth":"1","depthImbalance":"0.3333333333333333333333333333","resyncs":0}""",
            """{"minute":"2025-12-14T00:01:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","mid":"100.15","imbalance":"-0.2","bidDepth":"2","askDepth":"3","depthImbalance":"-0.2","resyncs":0}""",
            """{"minute":"2025-12-14T00:02:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","mid":"100.05","imbalance":"0","bidDepth":"1","askDepth":"1","depthImbalance":"0","resyncs":1}""",
        ];
        Assert.Equal(book, v.Lines("bookdepth", Day));
    }

    [Fact]
    public void Calc_EveryMicroOutput_WritesExactlyItsDeclaredFieldsInOrder()
    {
        using var v = TestVault.Create();
        Write(v);
        v.Calc(Options);
        IIndicator[] indicators = [new OfiIndicator(2, 2), new MicroPriceIndicator(2), new VpinIndicator(2m, 2), new BookDepthIndicator()];
        Assert.Equal(MicroStage.Calcs, indicators.Select(i => i.Name));
        foreach (var indicator in indicators)
        {
            Assert.All(indicator.Outputs, o => Assert.True(o.WarmUp.Minutes >= 1));
            foreach (var line in v.Lines(indicator.Name, Day))
            {
                var fields = JsonDocument.Parse(line).RootElement.EnumerateObject().Select(p => p.Name).ToList();
                Assert.Equal(["minute", "exchange", "instId", .. indicator.Outputs.Select(o => o.Field)], fields);
            }
        }
    }

    [Fact]
    public void Views_ReadmeFixtureDay_QueryTheMicrostructureOutputs()
    {
        using var v = TestVault.Create();
        Write(v);
        v.Calc(Options);
        using var db = DuckDbConnection.OpenInMemory();
        VaultViews.Create(db, v.Layout);
        Assert.Equal(5m, db.Scalar<decimal>("select sum(ofi) from ofi"));
        Assert.Equal(0.75m, db.Scalar<decimal>("select max(vpin) from vpin"));
        Assert.Equal(100.14m, db.Scalar<decimal>("select microPrice from microprice where minute = '2025-12-14 00:01:00+00'"));
        Assert.Equal(1L, db.Scalar<long>("select sum(resyncs) from bookdepth"));
        Assert.Equal(-1.124151265794325284410270246m, db.Scalar<decimal>("select ofiZ from ofi where ofiZ is not null"));
        Assert.Equal(1L, db.Scalar<long>("select count(divergenceZ) from microprice"));
        Assert.Equal(MinuteTime.DayStart(Day), db.Scalar<DateTimeOffset>("select min(minute) from bookdepth").ToUnixTimeMilliseconds());
    }
}
