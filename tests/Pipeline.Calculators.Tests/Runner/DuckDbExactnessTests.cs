using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Records;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Calculators.Tests.Runner;

/// <summary>
/// A fixture day of 120k trades through the calculators, against an independent computation in
/// DuckDB SQL over the same raw lines: sums in DECIMAL (exact), window sums with SQL window
/// functions, ratios and square roots in DOUBLE. Bars and CVD must match exactly; VWAP and
/// bands to 1e-12 relative.
/// </summary>
public sealed class DuckDbExactnessTests
{
    private static readonly DateOnly Day = TestVault.Day1;

    // px has one decimal and qtyBase three in the fixture: DECIMAL(12,1) and DECIMAL(12,3) hold them exactly.
    private const string Trades = """
        create table t as
        select ts, px::DECIMAL(12,1) as px, qtyBase::DECIMAL(12,3) as q, side, tradeId::BIGINT as id, (ts // 60000) * 60000 as m
        from read_json(?, format = 'newline_delimited',
            columns = {ts: 'BIGINT', px: 'VARCHAR', qtyBase: 'VARCHAR', side: 'VARCHAR', tradeId: 'VARCHAR'});
        """;

    private const string Minutes = """
        create table mins as
        with g as (select unnest(range(?::BIGINT, ?::BIGINT, 60000)) as m),
        agg as (
            select m, count(*) as n, sum(q) as q, sum(px * q) as pq, sum(px * px * q) as p2q,
                   coalesce(sum(q) filter (where side = 'buy'), 0) as buy, coalesce(sum(q) filter (where side = 'sell'), 0) as sell,
                   arg_min(px, [ts, id]) as open, max(px) as high, min(px) as low, arg_max(px, [ts, id]) as close,
                   arg_min(id, [ts, id]) as first_id, arg_max(id, [ts, id]) as last_id
            from t group by m)
        select g.m, coalesce(n, 0) as n, coalesce(q, 0) as q, coalesce(pq, 0) as pq, coalesce(p2q, 0) as p2q,
               coalesce(buy, 0) as buy, coalesce(sell, 0) as sell, open, high, low, close, first_id, last_id,
               row_number() over (order by g.m) as k
        from g left join agg using (m);
        """;

    private const string Moves = """
        with s as (select ts // 1000 as sec, max(px) as hi, min(px) as lo from t group by sec),
        w as (select sec, max(hi) over (order by sec range between 4 preceding and current row) as hi,
                          min(lo) over (order by sec range between 4 preceding and current row) as lo from s)
        select (sec // 60) * 60000 as m, max((hi - lo)::DOUBLE * 10000 / lo::DOUBLE) as move from w group by m
        """;

    private const string Windows = """
        select m, k,
          sum(q) over h1 as q1, sum(pq) over h1 as pq1, sum(p2q) over h1 as s1, sum(n) over h1 as n1,
          sum(q) over h4 as q4, sum(pq) over h4 as pq4, sum(p2q) over h4 as s4, sum(n) over h4 as n4,
          sum(q) over d as qd, sum(pq) over d as pqd, sum(p2q) over d as sd, sum(n) over d as nd,
          sum(buy - sell) over d as cvd
        from mins
        window h1 as (order by m rows between 59 preceding and current row),
               h4 as (order by m rows between 239 preceding and current row),
               d as (order by m rows between unbounded preceding and current row)
        order by m
        """;

    [Fact]
    public void Calc_FixtureDay_MatchesDuckDbSql()
    {
        using var v = TestVault.Create();
        var trades = SyntheticTrades.Day(Day, 120_000, seed: 42);
        Assert.True(trades.Count >= 100_000);
        v.Append(trades);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        v.Calc();

        using var db = DuckDbConnection.OpenInMemory();
        db.Query(Trades, v.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day)).Dispose();
        db.Query(Minutes, MinuteTime.DayStart(Day), MinuteTime.DayEnd(Day)).Dispose();
        Assert.Equal(trades.Count, db.Scalar<long>("select count(*) from t"));

        var bars = Index(v.Lines(BarLine.Calc, Day));
        var vwap = Index(v.Lines("vwap", Day));
        var bands = Index(v.Lines("bands", Day));
        var cvd = Index(v.Lines("cvd", Day));
        Assert.Equal(1440, bars.Count);

        var quiet = 0;
        using (var r = db.Query("select m, n, q, pq, p2q, buy, sell, open, high, low, close, first_id, last_id from mins order by m"))
        {
            while (r.Read())
            {
                var bar = bars[r.GetInt64(0)];
                Assert.Equal(r.GetInt64(1), bar.GetProperty("trades").GetInt64());
                Assert.Equal(r.GetDecimal(2), D(bar, "volBase"));
                Assert.Equal(r.GetDecimal(3), D(bar, "volQuote"));
                Assert.Equal(r.GetDecimal(4), D(bar, "sumPx2Qty"));
                Assert.Equal(r.GetDecimal(5), D(bar, "buyVolBase"));
                Assert.Equal(r.GetDecimal(6), D(bar, "sellVolBase"));
                if (r.GetInt64(1) == 0)
                {
                    quiet++;
                    Assert.Equal(D(bar, "open"), D(bar, "close"));
                    continue;
                }

                Assert.Equal(r.GetDecimal(7), D(bar, "open"));
                Assert.Equal(r.GetDecimal(8), D(bar, "high"));
                Assert.Equal(r.GetDecimal(9), D(bar, "low"));
                Assert.Equal(r.GetDecimal(10), D(bar, "close"));
                Assert.Equal(r.GetInt64(11).ToString(CultureInfo.InvariantCulture), bar.GetProperty("firstTradeId").GetString());
                Assert.Equal(r.GetInt64(12).ToString(CultureInfo.InvariantCulture), bar.GetProperty("lastTradeId").GetString());
            }
        }

        Assert.True(quiet > 10, $"the fixture should have quiet minutes, has {quiet}");
        using (var r = db.Query(Moves))
        {
            while (r.Read())
            {
                Close(r.GetDouble(1), D(bars[r.GetInt64(0)], "maxMove5sBps"), "maxMove5sBps");
            }
        }

        var compared = 0;
        using (var r = db.Query(Windows))
        {
            while (r.Read())
            {
                var m = r.GetInt64(0);
                var k = r.GetInt64(1);
                Assert.Equal(r.GetDecimal(14), D(cvd[m], "cvdSession"));
                Assert.Equal(r.GetDecimal(14), D(cvd[m], "cvdTotal"));
                compared += Window(r, 2, k >= 60, vwap[m], bands[m], "1h");
                compared += Window(r, 6, k >= 240, vwap[m], bands[m], "4h");
                compared += Window(r, 10, true, vwap[m], bands[m], "Session");
            }
        }

        Assert.True(compared > 3 * 1200, $"only {compared} windows compared");
    }

    /// <summary>Columns q, pq, p2q, n of one window starting at <paramref name="c"/>.</summary>
    private static int Window(DuckDbReader r, int c, bool warm, JsonElement vwap, JsonElement bands, string name)
    {
        if (!warm)
        {
            Assert.Equal(JsonValueKind.Null, vwap.GetProperty("vwap" + name).ValueKind);
            return 0;
        }

        var n = r.GetInt64(c + 3);
        if (name != "Session")
        {
            Assert.Equal(n, vwap.GetProperty("trades" + name).GetInt64());
            Assert.Equal(r.GetDecimal(c), D(vwap, "vol" + name));
        }

        if (n == 0)
        {
            Assert.Equal(JsonValueKind.Null, vwap.GetProperty("vwap" + name).ValueKind);
            Assert.Equal(JsonValueKind.Null, bands.GetProperty("sigma" + name).ValueKind);
            return 1;
        }

        // DECIMAL sums are exact; the ratio and sqrt in DOUBLE (relative error ~1e-16).
        var q = r.GetDecimal(c);
        var pq = r.GetDecimal(c + 1);
        var p2q = r.GetDecimal(c + 2);
        var expectedVwap = (double)pq / (double)q;
        Close(expectedVwap, D(vwap, "vwap" + name), "vwap" + name);
        // Variance = (S2·Q − PQ²)/Q², with the numerator an exact integer (S2 has scale 5, Q 3, PQ 4).
        var numerator = (Int(p2q, 100_000) * Int(q, 1000)) - (Int(pq, 10_000) * Int(pq, 10_000));
        var sigma = Math.Sqrt((double)numerator / 1e8) / (double)q;
        Close(sigma, D(bands, "sigma" + name), "sigma" + name);
        Close(expectedVwap + (2 * sigma), D(bands, "upper" + name + "_2"), "upper" + name + "_2");
        Close(expectedVwap - sigma, D(bands, "lower" + name + "_1"), "lower" + name + "_1");
        return 1;
    }

    private static void Close(double expected, decimal actual, string what)
    {
        var a = (double)actual;
        Assert.True(Math.Abs(a - expected) <= 1e-12 * Math.Abs(expected), $"{what}: expected {expected:R}, got {a:R}");
    }

    private static System.Numerics.BigInteger Int(decimal value, decimal scale)
    {
        var scaled = value * scale;
        Assert.Equal(decimal.Truncate(scaled), scaled);
        return (System.Numerics.BigInteger)scaled;
    }

    private static Dictionary<long, JsonElement> Index(string[] lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(e => MinuteTime.Parse(e.GetProperty("minute").GetString()));

    private static decimal D(JsonElement e, string key) =>
        decimal.Parse(e.GetProperty(key).GetString()!, CultureInfo.InvariantCulture);
}
