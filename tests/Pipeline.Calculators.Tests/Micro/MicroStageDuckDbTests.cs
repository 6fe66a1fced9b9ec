using System.Text.Json;
using Pipeline.Calculators.Micro;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Micro;

namespace Pipeline.Calculators.Tests.Micro;

/// <summary>
/// The microstructure outputs of a recorded fixture day (quotes, book, trades as the recorders write them) against an
/// independent computation in DuckDB SQL over the same raw lines: OFI with lag() in DECIMAL (exact), its rolling sum
/// with a window frame, micro-price, imbalance and divergence in DOUBLE (1e-12 relative), the tick rule with lag() and
/// last_value(… ignore nulls), VPIN buckets by splitting each classified trade's cumulative volume range.
/// </summary>
public sealed class MicroStageDuckDbTests
{
    private static readonly DateOnly Day = TestVault.Day1;
    private static readonly CalcOptions Options = new() { VpinBucketVolume = 10m, VpinBuckets = 5, OfiWindowMinutes = 5 };

    private const string Quotes = """
        create table q as select ts, seq, bidPx::DECIMAL(18,1) as b, bidSz::DECIMAL(18,3) as bs, askPx::DECIMAL(18,1) as a, askSz::DECIMAL(18,3) as az
        from read_json(?, format = 'newline_delimited',
            columns = {ts: 'BIGINT', seq: 'BIGINT', bidPx: 'VARCHAR', bidSz: 'VARCHAR', askPx: 'VARCHAR', askSz: 'VARCHAR'});
        """;

    private const string Trades = """
        create table t as select ts, px::DECIMAL(18,1) as px, qtyBase::DECIMAL(18,3) as q, tradeId::BIGINT as id
        from read_json(?, format = 'newline_delimited', columns = {ts: 'BIGINT', px: 'VARCHAR', qtyBase: 'VARCHAR', tradeId: 'VARCHAR'});
        """;

    // e_n (Cont, Kukanov & Stoikov), micro-price and imbalance per quote; per minute: the sum, the count, the last values.
    private const string Minutes = """
        create table e as select ts, (ts // 60000) * 60000 as m,
          case when lag(b) over w is null then 0
               else (case when b >= lag(b) over w then bs else 0 end) - (case when b <= lag(b) over w then lag(bs) over w else 0 end)
                  - (case when a <= lag(a) over w then az else 0 end) + (case when a >= lag(a) over w then lag(az) over w else 0 end) end as e,
          (a * bs + b * az)::DOUBLE / (bs + az)::DOUBLE as micro, (bs - az)::DOUBLE / (bs + az)::DOUBLE as imb
        from q window w as (order by ts, seq);
        create table mins as
        with g as (select unnest(range(?::BIGINT, ?::BIGINT, 60000)) as m),
        qm as (select m, sum(e) as ofi, count(*) as n, arg_max(micro, ts) as micro, arg_max(imb, ts) as imb from e group by m),
        tm as (select (ts // 60000) * 60000 as m, arg_max(px, [ts, id]) as px from t group by m)
        select g.m, coalesce(qm.ofi, 0) as ofi, coalesce(qm.n, 0) as n,
          sum(coalesce(qm.ofi, 0)) over (order by g.m rows between 4 preceding and current row) as rolling,
          row_number() over (order by g.m) as k,
          last_value(qm.micro ignore nulls) over (order by g.m) as micro,
          last_value(qm.imb ignore nulls) over (order by g.m) as imb,
          last_value(tm.px ignore nulls) over (order by g.m) as px
        from g left join qm using (m) left join tm using (m) order by g.m;
        """;

    // Tick rule, then each classified trade's slice [c0, c0 + q) of the cumulative volume split over buckets of 10.
    private const string Buckets = """
        create table cls as select ts, id, q,
          last_value(case when px > lp then 1 when px < lp then -1 end ignore nulls) over (order by ts, id rows between unbounded preceding and current row) as d
        from (select *, lag(px) over (order by ts, id) as lp from t);
        create table c as select ts, id, q, d, sum(q) over (order by ts, id rows between unbounded preceding and current row) - q as c0
        from cls where d is not null;
        create table parts as select ts, id, d, k, least(c0 + q, (k + 1) * 10) - greatest(c0, k * 10) as v
        from (select *, unnest(range(floor(c0 / 10)::BIGINT, ceil((c0 + q) / 10)::BIGINT)) as k from c);
        create table buckets as select k, abs(sum(case when d > 0 then v else -v end)) as imb, max(ts) as done
        from parts group by k having sum(v) = 10;
        """;

    [Fact]
    public void Calc_FixtureDay_OfiMicroPriceImbalanceAndVpinMatchDuckDbSql()
    {
        using var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 600);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        var result = v.Calc(Options);
        Assert.Equal(MicroStage.Calcs, result.Stages.TakeLast(4).Select(s => s.Calc));

        using var db = DuckDbConnection.OpenInMemory();
        db.Query(Quotes, v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day)).Dispose();
        db.Query(Trades, v.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day)).Dispose();
        db.Query(Minutes, MinuteTime.DayStart(Day), MinuteTime.DayEnd(Day)).Dispose();
        db.Execute(Buckets);

        var ofi = Index(v.Lines("ofi", Day));
        var micro = Index(v.Lines("microprice", Day));
        var vpin = Index(v.Lines("vpin", Day));
        Assert.Equal(1440, ofi.Count);
        Assert.Equal(1440, micro.Count);

        var compared = 0;
        using (var r = db.Query("select m, ofi, n, rolling, k, micro, imb, px from mins order by m"))
        {
            while (r.Read())
            {
                var m = r.GetInt64(0);
                var line = ofi[m];
                Assert.Equal(r.GetDecimal(1), D(line, "ofi"));
                Assert.Equal(r.GetInt64(2), line.GetProperty("quotes").GetInt64());
                Assert.Equal(r.GetInt64(4) >= 5 ? r.GetDecimal(3) : null, N(line, "ofiRolling"));
                Close(r.GetDouble(5), D(micro[m], "microPrice"), "microPrice");
                Close(r.GetDouble(6), D(micro[m], "imbalance"), "imbalance");
                Assert.Equal(r.GetDecimal(7), D(micro[m], "lastTradePx"));
                Close(r.GetDouble(5) - (double)r.GetDecimal(7), D(micro[m], "divergence"), "divergence", absolute: 1e-9);
                compared++;
            }
        }

        Assert.Equal(1440, compared);
        Assert.True(ofi.Values.Count(l => D(l, "ofi") != 0) > 400, "the fixture should move the book");

        // VPIN: buckets completed by each minute's end, and the mean |buy − sell| of the last 5 over 10.
        var buckets = new List<(long K, decimal Imb, long Done)>();
        using (var r = db.Query("select k, imb, done from buckets order by k"))
        {
            while (r.Read())
            {
                buckets.Add((r.GetInt64(0), r.GetDecimal(1), r.GetInt64(2)));
            }
        }

        Assert.True(buckets.Count > 300, $"only {buckets.Count} buckets");
        Assert.Equal(Enumerable.Range(0, buckets.Count).Select(i => (long)i), buckets.Select(b => b.K));
        foreach (var (m, line) in vpin)
        {
            var done = buckets.Where(b => b.Done < m + 60_000).ToList();
            Assert.Equal(done.Count, line.GetProperty("bucketsTotal").GetInt64());
            Assert.Equal(done.Count(b => b.Done >= m), line.GetProperty("buckets").GetInt64());
            Assert.Equal(done.Count >= 5 ? done.TakeLast(5).Sum(b => b.Imb) / 50m : null, N(line, "vpin"));
        }
    }

    // Robust z of ofi and of divergenceBps against the previous 60 minutes: median and MAD with list aggregates.
    private const string RobustZ = """
        create table z as
        with s as (select m, ofi::DOUBLE as x, (micro - px::DOUBLE) * 10000 / px::DOUBLE as y from mins),
        w as (select m, x, y,
          list(x) over (order by m rows between 60 preceding and 1 preceding) as px_,
          list(y) over (order by m rows between 60 preceding and 1 preceding) as py_ from s),
        med as (select *, list_aggregate(px_, 'median') as mx, list_aggregate(py_, 'median') as my from w)
        select m, coalesce(len(px_), 0) as n, coalesce(y is not null and list_count(py_) = 60, false) as ywarm,
          (x - mx) / (1.4826 * list_aggregate(list_transform(px_, v -> abs(v - mx)), 'median')) as zx,
          coalesce(list_aggregate(list_transform(px_, v -> abs(v - mx)), 'median'), 0) as madx,
          (y - my) / (1.4826 * list_aggregate(list_transform(py_, v -> abs(v - my)), 'median')) as zy,
          coalesce(list_aggregate(list_transform(py_, v -> abs(v - my)), 'median'), 0) as mady
        from med order by m;
        """;

    [Fact]
    public void Calc_FixtureDay_RobustZScoresMatchDuckDbMedianAndMad()
    {
        using var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 240);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        v.Calc(Options); // RobustZMinutes: the default 60

        using var db = DuckDbConnection.OpenInMemory();
        db.Query(Quotes, v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day)).Dispose();
        db.Query(Trades, v.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day)).Dispose();
        db.Query(Minutes, MinuteTime.DayStart(Day), MinuteTime.DayEnd(Day)).Dispose();
        db.Execute(RobustZ);

        var ofi = Index(v.Lines("ofi", Day));
        var micro = Index(v.Lines("microprice", Day));
        int ofiScored = 0, divScored = 0;
        using (var r = db.Query("select m, n, ywarm, zx, madx, zy, mady from z order by m"))
        {
            while (r.Read())
            {
                var m = r.GetInt64(0);
                var ofiZ = N(ofi[m], "ofiZ");
                if (r.GetInt64(1) < 60 || r.GetDouble(4) == 0)
                {
                    Assert.Null(ofiZ); // warming up, or a flat baseline (the quiet hours after the fixture's 240 minutes)
                }
                else
                {
                    Close(r.GetDouble(3), ofiZ ?? throw new InvalidOperationException($"ofiZ null at {m}"), "ofiZ", absolute: 1e-9);
                    ofiScored++;
                }

                var divZ = N(micro[m], "divergenceZ");
                if (!r.GetBoolean(2) || r.GetDouble(6) == 0)
                {
                    Assert.Null(divZ);
                }
                else
                {
                    Close(r.GetDouble(5), divZ ?? throw new InvalidOperationException($"divergenceZ null at {m}"), "divergenceZ", absolute: 1e-9);
                    divScored++;
                }
            }
        }

        Assert.True(ofiScored > 150, $"only {ofiScored} ofi z-scores compared");
        Assert.True(divScored > 150, $"only {divScored} divergence z-scores compared");
    }

    [Fact]
    public void Calc_InTwoPassesAndRecalc_ByteIdenticalToOnePass()
    {
        using var once = TestVault.Create();
        MicroDay.Write(once, Day, minutes: 200);
        MicroDay.Write(once, Day.AddDays(1), minutes: 60, seed: 9);
        once.Watermark(MinuteTime.DayEnd(Day.AddDays(1)) + 5_000);
        once.Calc(Options);

        using var twice = TestVault.Create();
        MicroDay.Write(twice, Day, minutes: 200);
        MicroDay.Write(twice, Day.AddDays(1), minutes: 60, seed: 9);
        twice.Watermark(TestVault.T(Day, 1, 17, 30));
        twice.Calc(Options);
        Assert.Equal(77, twice.Lines("ofi", Day).Length); // 00:00 … 01:16: minutes before the watermark − lateness
        twice.Watermark(MinuteTime.DayEnd(Day.AddDays(1)) + 5_000);
        twice.Calc(Options);

        var expected = once.Snapshot();
        Assert.Equal(expected, twice.Snapshot());
        Assert.Contains(expected.Keys, k => k.Contains("bookdepth", StringComparison.Ordinal));

        twice.Recalc(Day, options: Options);
        Assert.Equal(expected, twice.Snapshot());
        twice.Recalc(Day.AddDays(1), options: Options);
        Assert.Equal(expected, twice.Snapshot());
    }

    [Fact]
    public void Calc_BookWithResync_DepthNullUntilTheNewSnapshotAndTheResyncCounted()
    {
        using var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 60);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        v.Calc(Options);
        var book = Index(v.Lines("bookdepth", Day));
        var resyncMinute = TestVault.T(Day, 0, 30);
        Assert.Equal(1, book[resyncMinute].GetProperty("resyncs").GetInt64());
        Assert.Equal(1, book.Values.Sum(l => l.GetProperty("resyncs").GetInt64()));
        Assert.All(book.Values, l => Assert.NotNull(N(l, "mid"))); // the new snapshot follows within the minute
        Assert.All(book.Values, l => Assert.InRange(D(l, "imbalance"), -1m, 1m));
        Assert.All(book.Values, l => Assert.True(D(l, "bidDepth") > 0 && D(l, "askDepth") > 0));
    }

    private static Dictionary<long, JsonElement> Index(string[] lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToDictionary(e => MinuteTime.Parse(e.GetProperty("minute").GetString()), e => e);

    private static decimal D(JsonElement e, string key) => N(e, key) ?? throw new InvalidOperationException($"{key} is null");

    private static decimal? N(JsonElement e, string key) =>
        e.GetProperty(key).ValueKind == JsonValueKind.Null ? null : decimal.Parse(e.GetProperty(key).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static void Close(double expected, decimal actual, string what, double absolute = 0)
    {
        var diff = Math.Abs(expected - (double)actual);
        Assert.True(diff <= Math.Max(absolute, 1e-12 * Math.Abs(expected)), $"{what}: DuckDB {expected}, got {actual}");
    }
}
