using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;

namespace Pipeline.Jobs.Tests.Execution.Live;

/// <summary>
/// A fresh vault's first hour, computed by the real calculators: the reader says how far the band window has
/// warmed up, so the strategy reports "warming up: the 1h window has N of 60 minutes" instead of "no trades"
/// while the window holds trades in every minute.
/// </summary>
public sealed class MinuteRecordReaderWarmUpTests : IDisposable
{
    private readonly TestVault _vault = TestVault.Create();

    public void Dispose() => _vault.Dispose();

    [Fact]
    public void ReadAfter_FreshSeries_CountsMinutesAndMarksTheWindowWarmAtMinute60()
    {
        var start = TestVault.T(TestVault.Day1, 10, 30);
        for (var m = 0; m < 70; m++)
        {
            _vault.AppendTrade(start + (m * 60_000L) + 5_000, 1000m + (m % 7));
            _vault.AppendTrade(start + (m * 60_000L) + 35_000, 1001m + (m % 5));
        }

        _vault.Watermark(start + (71 * 60_000L));
        _vault.Calc();

        var minutes = new MinuteRecordReader(_vault.Layout, TestVault.Exchange, TestVault.InstId, BandWindow.OneHour).ReadAfter(null);
        Assert.Equal(70, minutes.Count);
        Assert.Equal(Enumerable.Range(1, 70).Select(n => (long?)n), minutes.Select(m => m.SeriesMinutes));
        Assert.All(minutes.Take(59), m => Assert.False(m.WindowWarm));
        Assert.All(minutes.Skip(59), m => Assert.True(m.WindowWarm));
        Assert.Null(minutes[58].Vwap);
        Assert.NotNull(minutes[59].Vwap);

        var strategy = new VwapMeanReversionStrategy(new VwapMeanReversionParameters());
        var reasons = minutes.Take(23).Select(strategy.Evaluate).ToList();
        Assert.Equal("warming up: the 1h window has 23 of 60 minutes", reasons[^1].Reason);
        Assert.Equal(SignalAction.None, reasons[^1].Action);
    }

    [Fact]
    public void ReadAfter_LaterCall_CountsFromTheSeriesStartNotTheReadStart()
    {
        var start = TestVault.T(TestVault.Day1, 10, 30);
        for (var m = 0; m < 30; m++)
        {
            _vault.AppendTrade(start + (m * 60_000L) + 5_000, 1000m);
        }

        _vault.Watermark(start + (31 * 60_000L));
        _vault.Calc();

        var later = new MinuteRecordReader(_vault.Layout, TestVault.Exchange, TestVault.InstId, BandWindow.OneHour).ReadAfter(start + (19 * 60_000L));
        Assert.Equal(21L, later[0].SeriesMinutes);
    }
}
