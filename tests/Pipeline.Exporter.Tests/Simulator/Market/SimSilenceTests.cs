using Pipeline.Simulator;
using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Market;

public sealed class SimSilenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_InstOffsetDuration_IsAnAbsoluteStretch()
    {
        var silence = SimSilence.Parse("BTCUSDT@10m+5m", Start);
        Assert.Equal("BTCUSDT", silence.InstId);
        Assert.Equal(Start.AddMinutes(10), silence.From);
        Assert.Equal(TimeSpan.FromMinutes(5), silence.Duration);
        Assert.Throws<FormatException>(() => SimSilence.Parse("BTCUSDT+5m", Start));
        Assert.Throws<FormatException>(() => SimSilence.Parse("BTCUSDT@10x+5m", Start));
    }

    [Fact]
    public void Generator_SilentStretch_NoTradesInsideAndIdsStayConsecutive()
    {
        var instrument = SimInstruments.Find("BTC-USDT-SWAP");
        var from = Start.AddMinutes(1).ToUnixTimeMilliseconds();
        var to = from + 300_000;
        var quiet = new MarketGenerator(instrument, 3, 50, [(from, to)]);
        var normal = new MarketGenerator(instrument, 3, 50);

        var fills = quiet.FillsBetween(from - 60_000, to + 60_000).ToList();
        Assert.DoesNotContain(fills, f => f.Ts >= from && f.Ts < to);
        Assert.Contains(fills, f => f.Ts < from);
        Assert.Contains(fills, f => f.Ts >= to);
        // The public ids run on without a hole across the silence (nothing happened, nothing is missing).
        Assert.All(fills.Zip(fills.Skip(1)), p => Assert.Equal(p.First.Id + 1, p.Second.Id));
        // Before the silence the market is the same as without it.
        Assert.Equal(normal.FillsBetween(from - 60_000, from - 1).Select(f => f.Id), quiet.FillsBetween(from - 60_000, from - 1).Select(f => f.Id));
    }
}
