using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Tests.Execution.Live;

/// <summary>
/// The reader's micro join: values as written, optional per minute, and the horizon. On a day with quotes recorded
/// the micro outputs hold the executor back (a pass must not decide a minute before its micro line exists, or paper
/// and backtest would differ); on a day without, the minutes go on with no micro values.
/// </summary>
public sealed class MinuteRecordReaderMicroTests : IDisposable
{
    private static readonly DateOnly Day2 = TestVault.Day1.AddDays(1);
    private readonly TestVault _vault = TestVault.Create();

    public void Dispose() => _vault.Dispose();

    private static long M(DateOnly day, int hour, int minute) => TestVault.T(day, hour, minute);

    private MinuteRecordReader Reader(bool micro) =>
        new(_vault.Layout, TestVault.Exchange, TestVault.InstId, BandWindow.OneHour, micro: micro);

    private void Bars(params long[] minutes)
    {
        foreach (var m in minutes)
        {
            _vault.Minute(m, 1000m);
        }
    }

    private void MicroLines(long minute, string ofiZ)
    {
        var head = $"{{\"minute\":\"{LedgerJson.MinuteIso(minute)}\",\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\"";
        Append("ofi", minute, $"{head},\"ofi\":\"-3.5\",\"ofiRolling\":null,\"quotes\":4,\"ofiZ\":{ofiZ}}}");
        Append("microprice", minute,
            $"{head},\"microPrice\":\"1000.05\",\"mid\":\"1000.1\",\"imbalance\":\"-0.2\",\"lastTradePx\":\"1000\",\"divergence\":\"0.05\",\"divergenceBps\":\"0.5\",\"divergenceZ\":\"2.25\"}}");
        Append("vpin", minute, $"{head},\"vpin\":\"0.41\",\"buckets\":1,\"bucketsTotal\":9}}");
        Append("bookdepth", minute, $"{head},\"mid\":\"1000.1\",\"imbalance\":\"0\",\"bidDepth\":\"3\",\"askDepth\":\"4.5\",\"depthImbalance\":null,\"resyncs\":0}}");
        Append("kyle", minute, $"{head},\"dp\":\"1\",\"signedVol\":\"2\",\"lambda\":\"0.125\"}}");
    }

    private void Append(string calc, long minute, string line)
    {
        var path = _vault.Layout.DerivedDay(calc, TestVault.Exchange, TestVault.InstId, Vault.Trades.TradeTime.Day(minute));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, line + "\n");
    }

    private void QuotesRecorded(DateOnly day) => _vault.AppendMicro(new QuoteRecord
    {
        Exchange = TestVault.Exchange, InstId = TestVault.InstId, Ts = M(day, 0, 0), Seq = 1,
        BidPx = "1000", BidSz = "1", AskPx = "1000.1", AskSz = "1", RecvTs = M(day, 0, 0) + 3, Src = "ws",
    });

    [Fact]
    public void ReadAfter_Micro_JoinsTheWrittenValuesAndNullsWhereTheLineSaysNull()
    {
        var m0 = M(TestVault.Day1, 10, 0);
        QuotesRecorded(TestVault.Day1);
        Bars(m0);
        MicroLines(m0, "null");

        var minute = Assert.Single(Reader(micro: true).ReadAfter(null));
        var micro = minute.Micro!;
        Assert.Equal((-3.5m, (decimal?)null, 1000.05m, -0.2m, 0.5m, 2.25m, 0.41m, 3m, 4.5m),
            (micro.Ofi, micro.OfiZ, micro.MicroPrice, micro.Imbalance, micro.DivergenceBps, micro.DivergenceZ, micro.Vpin, micro.BidDepth,
                micro.AskDepth));
        Assert.Equal(0.125m, minute.KyleLambda);
    }

    [Fact]
    public void ReadAfter_MicroBehindOnADayWithQuotes_HoldsTheMinutesBack()
    {
        var m0 = M(TestVault.Day1, 10, 0);
        QuotesRecorded(TestVault.Day1);
        Bars(m0, m0 + 60_000, m0 + 120_000);
        MicroLines(m0, "\"1\"");

        var minutes = Reader(micro: true).ReadAfter(null);

        Assert.Equal([m0], minutes.Select(m => m.MinuteMs)); // 10:01 and 10:02 wait for their micro lines
        Assert.Equal(3, Reader(micro: false).ReadAfter(null).Count); // a strategy that does not read micro never waits
        Assert.All(Reader(micro: false).ReadAfter(null), m => Assert.Null(m.Micro));
    }

    [Fact]
    public void ReadAfter_QuotesStoppedBeforeTheDay_MinutesGoOnWithoutMicro()
    {
        var late = M(TestVault.Day1, 23, 59);
        QuotesRecorded(TestVault.Day1);
        Bars(late, M(Day2, 0, 0), M(Day2, 0, 1));
        MicroLines(late, "\"1\"");

        var minutes = Reader(micro: true).ReadAfter(null);

        Assert.Equal(3, minutes.Count);
        Assert.NotNull(minutes[0].Micro);
        Assert.Null(minutes[1].Micro);
        Assert.Null(minutes[2].Micro);
    }

    [Fact]
    public void ReadAfter_QuotesRecordedButNoMicroLineYet_NothingDecided()
    {
        QuotesRecorded(TestVault.Day1);
        Bars(M(TestVault.Day1, 10, 0));

        Assert.Empty(Reader(micro: true).ReadAfter(null));
    }
}
