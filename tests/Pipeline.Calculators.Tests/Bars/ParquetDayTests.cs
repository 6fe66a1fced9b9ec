using Pipeline.Vault.DuckDb;

namespace Pipeline.Calculators.Tests.Bars;

public sealed class ParquetDayTests
{
    [Fact]
    public void Calc_CompactedParquetDay_SameOutputsAsTheJsonlDay()
    {
        var day1 = TestVault.Day1;
        var day2 = day1.AddDays(1);
        var trades = SyntheticTrades.Day(day1, 5_000);
        trades.AddRange(SyntheticTrades.Day(day2, 2_000, 5, 8_000_000));
        using var jsonl = TestVault.Create();
        using var parquet = TestVault.Create();
        foreach (var v in new[] { jsonl, parquet })
        {
            v.Append(trades);
            v.Watermark(TestVault.T(day2, 6, 0));
        }

        // Compact day 1 the way the vault does: COPY the raw columns to Parquet, then remove the JSONL.
        var path = parquet.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, day1);
        using (var db = DuckDbConnection.OpenInMemory())
        {
            db.Execute($"COPY ({VaultViews.RawTradesSelect(path)}) TO {VaultViews.Literal(parquet.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, day1))} (FORMAT parquet)");
        }

        File.Delete(path);
        jsonl.Calc();
        parquet.Calc();
        Assert.Equal(jsonl.Snapshot(), parquet.Snapshot());
        Assert.NotEmpty(parquet.Lines("bars_1m", day1));
    }
}
