using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Market;

public sealed class MarketGeneratorTests
{
    private static readonly long March1 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Block_SameSeed_SameTrades()
    {
        var a = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 7, 50);
        var b = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 7, 50);
        var block = MarketGenerator.BlockOf(March1) + 123;
        Assert.Equal(a.Generate(block).Fills.ToArray(), b.Generate(block).Fills.ToArray());
        Assert.Equal(a.Generate(block).Prints.ToArray(), b.Generate(block).Prints.ToArray());
    }

    [Fact]
    public void Block_OtherSeed_OtherTrades()
    {
        var a = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 7, 50);
        var b = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 8, 50);
        var block = MarketGenerator.BlockOf(March1);
        Assert.NotEqual(a.Generate(block).Fills.ToArray(), b.Generate(block).Fills.ToArray());
    }

    [Fact]
    public void Range_ComputedIndependently_EqualsSequentialWalk()
    {
        // One generator walks from far back (caches filled along the way); a fresh one jumps straight to the range.
        var walker = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 3, 20);
        var from = March1 - (3 * 86_400_000L);
        var to = March1 + 60_000;
        long? previous = null;
        foreach (var print in walker.PrintsBetween(from, from + 600_000))
        {
            previous = print.Ordinal;
        }

        Assert.NotNull(previous);
        var sequential = walker.PrintsBetween(March1, to).ToList();
        var fresh = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 3, 20).PrintsBetween(March1, to).ToList();
        Assert.NotEmpty(fresh);
        Assert.Equal(sequential, fresh);
    }

    [Fact]
    public void Fills_AcrossBlocksAndDays_IdsConsecutiveAndTimeOrdered()
    {
        var market = new MarketGenerator(SimInstruments.Find("ETH-USDT-SWAP"), 1, 30);
        var fills = market.FillsBetween(March1 - 120_000, March1 + 120_000).ToList();
        Assert.True(fills.Count > 1000);
        for (var i = 1; i < fills.Count; i++)
        {
            Assert.Equal(fills[i - 1].Id + 1, fills[i].Id);
            Assert.True(fills[i].Ts >= fills[i - 1].Ts);
        }
    }

    [Fact]
    public void Prints_Binance_AggregateIdsConsecutive_UnderlyingIdsIncreasingWithOccasionalGap()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 1, 50);
        var prints = market.PrintsBetween(March1, March1 + 3_600_000).ToList();
        var gaps = 0;
        for (var i = 1; i < prints.Count; i++)
        {
            Assert.Equal(prints[i - 1].Ordinal + 1, prints[i].Ordinal);
            Assert.True(prints[i].FirstId <= prints[i].LastId);
            var step = prints[i].FirstId - prints[i - 1].LastId;
            Assert.InRange(step, 1, 2);
            gaps += step == 2 ? 1 : 0;
        }

        Assert.InRange(gaps, 1, prints.Count / 100);
    }

    [Fact]
    public void Prints_GroupFillsOfOneTakerOrderAndPrice()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 1, 100);
        var block = market.Generate(MarketGenerator.BlockOf(March1) + 5);
        var fills = block.Fills.Span;
        var multi = 0;
        foreach (var print in block.Prints.Span)
        {
            long size = 0;
            for (var k = print.FillStart; k < print.FillStart + print.FillCount; k++)
            {
                Assert.Equal(print.PriceUnits, fills[k].PriceUnits);
                Assert.Equal(print.Buy, fills[k].Buy);
                Assert.Equal(print.Ts, fills[k].Ts);
                size += fills[k].SizeUnits;
            }

            Assert.Equal(size, print.SizeUnits);
            Assert.Equal(fills[print.FillStart + print.FillCount - 1].Id, print.LastId);
            multi += print.FillCount > 1 ? 1 : 0;
        }

        Assert.True(multi > 10, "several fills per taker order");
    }

    [Fact]
    public void Fills_PricesOnTickGrid_BothSides_PositiveSizes()
    {
        var instrument = SimInstruments.Find("ETH-USDT-SWAP") with { TickUnits = 5 };
        var market = new MarketGenerator(instrument, 1, 50);
        var fills = market.FillsBetween(March1, March1 + 600_000).ToList();
        Assert.All(fills, f => Assert.Equal(0, f.PriceUnits % 5));
        Assert.All(fills, f => Assert.True(f.SizeUnits > 0));
        Assert.Contains(fills, f => f.Buy);
        Assert.Contains(fills, f => !f.Buy);
    }

    [Fact]
    public void Rate_AverageFillsPerSecond_Matches()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 5, 10);
        var count = market.FillsBetween(March1, March1 + (6 * 3_600_000L) - 1).Count();
        var perSecond = count / (6 * 3600.0);
        Assert.InRange(perSecond, 10 * 0.75, 10 * 1.25);
    }

    [Fact]
    public void BlockOfFillId_FindsTheBlockHoldingTheId()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTC-USD-SWAP"), 2, 25);
        var fill = market.FillsBetween(March1 + 77_777, March1 + 90_000).First();
        var block = market.BlockOfFillId(fill.Id);
        Assert.Contains(fill, market.Generate(block).Fills.ToArray());
        var print = market.PrintsBetween(March1 - (86_400_000L * 20), March1 - (86_400_000L * 20) + 60_000).Last();
        Assert.Contains(print, market.Generate(market.BlockOfPrint(print.Ordinal)).Prints.ToArray());
    }

    [Fact]
    public void Price_WalksButStaysNearBase()
    {
        var market = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 1, 5);
        var prices = market.FillsBetween(March1, March1 + 86_400_000).Select(f => f.PriceUnits / 10m).ToList();
        Assert.True(prices.Max() > prices.Min(), "the price moves");
        Assert.InRange(prices.Average(), 60_000m, 130_000m);
    }

    [Fact]
    public void SimNumber_Formats_TrimmedAndFixed()
    {
        Assert.Equal("65000.1", SimNumber.Format(650001, 1, trim: true));
        Assert.Equal("65000", SimNumber.Format(650000, 1, trim: true));
        Assert.Equal("65000.0", SimNumber.Format(650000, 1, trim: false));
        Assert.Equal("0.030", SimNumber.Format(30, 3, trim: false));
        Assert.Equal("0.03", SimNumber.Format(30, 3, trim: true));
        Assert.Equal("12", SimNumber.Format(12, 0, trim: true));
    }
}
