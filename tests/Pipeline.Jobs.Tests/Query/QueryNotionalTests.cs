using System.Globalization;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Query;

/// <summary>
/// The first query a trader writes, <c>sum(px * qtyBase)</c>, needs no cast and equals the calculators'
/// own <c>volQuote</c> to the last digit.
/// </summary>
public sealed class QueryNotionalTests : IDisposable
{
    private static readonly DateOnly Day = new(2025, 12, 14);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync([.. args, "--vault", _root, "--log-level", "warning"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A day of two instruments: a BTC-like price with 10 decimals and 8-decimal sizes, and a tiny price with
    /// 10 decimals times 10-decimal quantities (products with 20 decimals, the notional scale's limit).
    /// Returns the exact notional per instrument (C# decimal: every product and sum here has ≤ 28 digits).
    /// </summary>
    private Dictionary<string, decimal> Seed()
    {
        var layout = new VaultLayout(_root);
        var start = TradeTime.DayStartMs(Day);
        var expected = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (instId, basePx, pxStep, qtyUnit) in new[]
                 {
                     ("BTC-USDT-SWAP", 64000.1234567891m, 0.0000000013m, 0.00000001m),
                     ("PEPE-USDT-SWAP", 0.0000123457m, 0.0000000001m, 1234.5678901234m),
                 })
        {
            var sum = 0m;
            using var appender = JsonlAppender.Open(layout.RawDayJsonl("okx", instId, Day));
            for (var i = 0; i < 400; i++)
            {
                var ts = start + (i * 1700L);
                var px = basePx + (pxStep * (i % 97));
                var qty = qtyUnit * ((i * 7919 % 100000) + 1);
                sum += px * qty;
                var qtyText = ExactDecimal.Format(qty);
                RawTradeWriter.Write(appender, new RawTrade
                {
                    Exchange = "okx", InstId = instId, TradeId = (1000 + i).ToString(CultureInfo.InvariantCulture), Ts = ts,
                    Px = ExactDecimal.Format(px), Sz = qtyText, Side = i % 3 == 0 ? "sell" : "buy",
                    CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = qtyText, RecvTs = ts + 1, Src = "ws",
                });
                appender.EndLine();
            }

            appender.Sync();
            expected[instId] = sum;

            // The exporter's watermark past the last trade: every minute of the day is final for the calculators.
            new StateFile<ExporterState>(layout.ExporterState("okx", instId)).Write(new ExporterState
            {
                Exchange = "okx", InstId = instId, WatermarkTs = start + TradeTime.MsPerDay,
            });
        }

        return expected;
    }

    [Fact]
    public async Task Query_SumPxTimesQtyBase_EqualsBarsVolQuoteExactlyWithoutCasts()
    {
        var expected = Seed();
        var calc = await Run("calc");
        Assert.True(calc.Code == ExitCodes.Ok, calc.Error);

        var (code, output, error) = await Run("query", """
            select t.instId, t.notional = b.volQuote as same, t.notional, b.volQuote, typeof(t.notional) as type
            from (select instId, sum(px * qtyBase) as notional from trades where date = DATE '2025-12-14' group by all) t
            join (select instId, sum(volQuote) as volQuote from bars_1m where date = DATE '2025-12-14' group by all) b using (instId)
            order by instId
            """, "--format", "csv");
        Assert.True(code == ExitCodes.Ok, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("instId,same,notional,volQuote,type", rows[0]);
        Assert.True(rows.Length == 3, output + calc.Output);
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(',', 5);
            Assert.Equal("true", cells[1]);
            Assert.Equal(expected[cells[0]], decimal.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal(expected[cells[0]], decimal.Parse(cells[3], CultureInfo.InvariantCulture));
            Assert.Equal("\"DECIMAL(38,20)\"", cells[4]); // CSV-quoted: it holds a comma
        }
    }
}
