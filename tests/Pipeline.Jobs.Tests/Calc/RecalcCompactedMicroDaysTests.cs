using Pipeline.Calculators.Records;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Tests.Calc;

/// <summary>
/// The commands users run: <c>calc</c>, then <c>compact --raw-only</c> (with its reader guard) turns the quotes, book and
/// trades days into Parquet, then <c>recalc</c> rebuilds the microstructure outputs from them byte for byte.
/// </summary>
public sealed class RecalcCompactedMicroDaysTests
{
    private static readonly DateOnly Day = TestVault.Day1;
    private static readonly DateOnly Day2 = TestVault.Day1.AddDays(1);

    [Fact]
    public async Task Recalc_AfterCompactRawOnly_MicroOutputsByteIdenticalToTheJsonlDays()
    {
        using var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 200);
        MicroDay.Write(v, Day2, minutes: 60, seed: 9);
        v.Watermark(MinuteTime.DayEnd(Day2) + 5_000);
        var vault = v.Layout.Root;

        var (code, output, error) = await CliRunner.RunAsync("calc", "--vault", vault, "--vpin-bucket", "4");
        Assert.True(code == 0, output + error);
        var expected = v.Snapshot();
        Assert.Contains(expected.Keys, k => k.StartsWith("vpin", StringComparison.Ordinal));

        (code, output, error) = await CliRunner.RunAsync(TestClock.At(Day2.AddDays(2), TimeOnly.MinValue), "compact", "--raw-only", "--vault", vault);
        Assert.True(code == 0, output + error);
        foreach (var day in new[] { Day, Day2 })
        {
            Assert.True(File.Exists(MicroDayFiles.ParquetPath(v.Layout, MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, day)), output);
            Assert.True(File.Exists(MicroDayFiles.ParquetPath(v.Layout, MicroKind.Book, TestVault.Exchange, TestVault.InstId, day)), output);
            Assert.True(File.Exists(v.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, day)), output);
            Assert.False(File.Exists(v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, day)), output);
        }

        (code, output, error) = await CliRunner.RunAsync("recalc", "--vault", vault, "--exchange", TestVault.Exchange, "--inst", TestVault.InstId,
            "--from", Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--vpin-bucket", "4");
        Assert.True(code == 0, output + error);
        Assert.Equal(expected, v.Snapshot());
    }
}
