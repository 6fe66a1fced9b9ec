using Pipeline.Calculators.MicroPrice;
using Pipeline.Calculators.Ofi;
using Pipeline.Calculators.Vpin;

namespace Pipeline.Calculators.Tests.Micro;

/// <summary>The per-event update methods a live strategy calls allocate nothing (the bench's "bytes per event").</summary>
public sealed class PerEventAllocationTests
{
    [Fact]
    public void Update_QuoteAndTradeEvents_AllocateNothing()
    {
        var ofi = new OfiState();
        var micro = new MicroPriceState();
        var vpin = new VpinState();
        Run(ofi, micro, vpin, 1_000); // first use: the VPIN ring is created once
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Run(ofi, micro, vpin, 100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0m, sum);
        Assert.True(vpin.Buckets > 100);
    }

    private static decimal Run(OfiState ofi, MicroPriceState micro, VpinState vpin, int events)
    {
        var sum = 0m;
        for (var i = 0; i < events; i++)
        {
            var bid = 1000m + ((i % 13) * 0.1m);
            sum += ofi.Update(bid, 1m + (i % 7), bid + 0.1m, 2m + (i % 5));
            micro.OnQuote(bid, 1m + (i % 7), bid + 0.1m, 2m + (i % 5));
            micro.OnTrade(bid);
            vpin.OnTrade(bid + (i % 3 * 0.1m), 1.5m, 10m, 50);
            sum += (micro.Imbalance ?? 0) + (micro.Divergence ?? 0) + (vpin.Vpin(10m, 50) ?? 0);
        }

        return sum;
    }
}
