using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Vault.Tests.Verify;

public sealed class RawVerifierTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private static readonly long Start = TradeTime.DayStartMs(Day1);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public RawVerifierTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    private static RawTrade Trade(long id, long ts, string instId = "BTCUSDT") => new()
    {
        Exchange = "binance", InstId = instId, TradeId = id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ts = ts,
        Px = "100.5", Sz = "1", Side = "buy", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "1",
        RecvTs = ts, Src = "ws",
    };

    private static void Write(string path, IEnumerable<RawTrade> trades, string? tail = null)
    {
        using (var appender = JsonlAppender.Open(path))
        {
            foreach (var trade in trades)
            {
                RawTradeWriter.Write(appender, trade);
                appender.EndLine();
            }
        }

        if (tail is not null)
        {
            File.AppendAllText(path, tail);
        }
    }

    [Fact]
    public void Verify_CleanConsecutiveDay_IsClean()
    {
        Write(_vault.RawDayJsonl("binance", "BTCUSDT", Day1), Enumerable.Range(1, 1000).Select(i => Trade(i, Start + i)));
        var report = new RawVerifier(_vault).Verify(new VerifyOptions());
        Assert.True(report.IsClean);
        Assert.Equal(1000, report.Lines);
    }

    [Fact]
    public void Verify_DuplicatesGapTornUnparsableAndMisfiled_AreAllCounted()
    {
        var trades = new[] { Trade(1, Start + 1), Trade(2, Start + 2), Trade(2, Start + 2), Trade(5, Start + 5), Trade(6, Start - 10) };
        Write(_vault.RawDayJsonl("binance", "BTCUSDT", Day1), trades, "not json\n{\"exchange\":\"bin");
        var report = new RawVerifier(_vault).Verify(new VerifyOptions());
        Assert.Equal(1, report.Duplicates);
        Assert.Equal(1, report.Torn);
        Assert.Equal(1, report.Unparsable);
        Assert.Equal(1, report.WrongDate);
        Assert.Equal(new VerifyGap("binance", "BTCUSDT", 3, 4), Assert.Single(report.Gaps));
        Assert.False(report.IsClean);
    }

    [Fact]
    public void Verify_WithTruth_CountsMissingAndExtraWithinTheTruthRange()
    {
        Write(_vault.RawDayJsonl("binance", "BTCUSDT", Day1), new[] { 1, 2, 3, 5, 6, 7, 8 }.Select(i => Trade(i, Start + i)));
        var truth = _dir.File("truth");
        Write(Path.Combine(truth, "binance", "BTCUSDT.jsonl"), Enumerable.Range(1, 9).Select(i => Trade(i, Start + i)));
        File.WriteAllText(TruthLayout.RangePath(truth), $$"""{"startTs":{{Start}},"endTs":{{Start + 8}}}""");
        var report = new RawVerifier(_vault).Verify(new VerifyOptions { TruthDir = truth });
        Assert.Equal(1, report.Missing); // id 4 (id 9 is after the truth's end)
        Assert.Equal(0, report.Extra);
        Assert.Equal(1, report.GapCount);
    }

    [Fact]
    public void Verify_LargeDay_UsesIdArraysNotRecords()
    {
        // 100k lines keep the test fast; the structure is the same for 2.4M (ids only, as longs).
        const int n = 100_000;
        Write(_vault.RawDayJsonl("binance", "BTCUSDT", Day1), Enumerable.Range(1, n).Select(i => Trade(i, Start + (i / 10))));
        var report = new RawVerifier(_vault).Verify(new VerifyOptions());
        Assert.True(report.IsClean);
        Assert.Equal(n, report.Lines);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) < 200L * 1024 * 1024);
    }
}
