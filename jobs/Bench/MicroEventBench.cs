using System.Diagnostics;
using System.Globalization;
using Pipeline.Calculators.MicroPrice;
using Pipeline.Calculators.Ofi;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// The per-event cost of the microstructure indicators as a live strategy would call them: for each best bid/ask
/// event, OFI (<see cref="OfiState.Update"/>), micro-price and top-of-book imbalance (<see cref="MicroPriceState.OnQuote"/>)
/// and reading the divergence from the last trade; every 4th event is also a trade (<see cref="MicroPriceState.OnTrade"/>).
/// Each event is timed alone (Stopwatch timestamps around it), so the median and p99 are per event, timer included; the
/// peer is the same loop reading the same fields and doing nothing else: the timer's and the loop's own cost. Bytes
/// allocated come from <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the timed loop.
/// </summary>
public static class MicroEventBench
{
    public sealed record Result(int Events, double MedianNs, double P99Ns, double MaxNs, double BytesPerEvent, double PeerMedianNs, double PeerP99Ns,
        double PeerBytesPerEvent, decimal Checksum);

    public static Result Run(int events, int seed = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1000);
        var random = new Random(seed);
        var bidPx = new decimal[events];
        var bidSz = new decimal[events];
        var askPx = new decimal[events];
        var askSz = new decimal[events];
        var mid = 65_000m;
        for (var i = 0; i < events; i++)
        {
            mid += random.Next(-3, 4) * 0.1m;
            bidPx[i] = mid;
            askPx[i] = mid + (random.Next(1, 3) * 0.1m);
            bidSz[i] = random.Next(1, 20_000) / 1000m;
            askSz[i] = random.Next(1, 20_000) / 1000m;
        }

        var ticks = new long[events];
        // Twice untimed first: the JIT's tiers settle before anything is measured.
        var checksum = Indicators(bidPx, bidSz, askPx, askSz, ticks) + Indicators(bidPx, bidSz, askPx, askSz, ticks);
        var before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Indicators(bidPx, bidSz, askPx, askSz, ticks);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var (median, p99, max) = Percentiles(ticks);

        Peer(bidPx, bidSz, askPx, askSz, ticks);
        Peer(bidPx, bidSz, askPx, askSz, ticks);
        before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Peer(bidPx, bidSz, askPx, askSz, ticks);
        var peerAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var (peerMedian, peerP99, _) = Percentiles(ticks);
        return new Result(events, median, p99, max, (double)allocated / events, peerMedian, peerP99, (double)peerAllocated / events, checksum);
    }

    public static string Describe(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"per event, OFI + micro-price + imbalance + divergence ({r.Events:N0} quote events, every 4th with a trade, each timed alone): " +
        $"median {r.MedianNs:0} ns, p99 {r.P99Ns:0} ns, max {r.MaxNs / 1000:0.0} µs, {r.BytesPerEvent:0.###} bytes allocated per event; " +
        $"peer (the same loop reading the same fields, nothing computed): median {r.PeerMedianNs:0} ns, p99 {r.PeerP99Ns:0} ns, {r.PeerBytesPerEvent:0.###} bytes/event");

    private static decimal Indicators(decimal[] bidPx, decimal[] bidSz, decimal[] askPx, decimal[] askSz, long[] ticks)
    {
        var ofi = new OfiState();
        var micro = new MicroPriceState();
        var sum = 0m;
        for (var i = 0; i < ticks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sum += ofi.Update(bidPx[i], bidSz[i], askPx[i], askSz[i]);
            micro.OnQuote(bidPx[i], bidSz[i], askPx[i], askSz[i]);
            if ((i & 3) == 0)
            {
                micro.OnTrade(askPx[i]);
            }

            sum += (micro.Imbalance ?? 0m) + (micro.Divergence ?? 0m);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return sum;
    }

    private static decimal Peer(decimal[] bidPx, decimal[] bidSz, decimal[] askPx, decimal[] askSz, long[] ticks)
    {
        var sum = 0m;
        for (var i = 0; i < ticks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sum += bidPx[i] + bidSz[i] + askPx[i] + askSz[i];
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return sum;
    }

    private static (double Median, double P99, double Max) Percentiles(long[] ticks)
    {
        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        var ns = 1e9 / Stopwatch.Frequency;
        return (sorted[sorted.Length / 2] * ns, sorted[(int)(sorted.Length * 0.99)] * ns, sorted[^1] * ns);
    }
}
