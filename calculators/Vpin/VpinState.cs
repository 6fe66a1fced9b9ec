namespace Pipeline.Calculators.Vpin;

/// <summary>
/// VPIN (Easley, López de Prado &amp; O'Hara 2012) over equal-volume buckets, trades classified by the tick rule: a trade
/// above the previous trade price is a buy, below a sell, at the same price the previous trade's class; trades before
/// the first price change are unclassified and fill no bucket. A trade larger than the room left in the bucket is split
/// across buckets. VPIN = Σ|V_buy − V_sell| over the last n complete buckets / (n·V). Exact decimal; <see cref="OnTrade"/>
/// allocates nothing once the ring exists.
/// </summary>
public sealed class VpinState
{
    public decimal? PrevPx { get; set; }

    /// <summary>+1 buy, −1 sell, 0 not classified yet.</summary>
    public int Direction { get; set; }

    public decimal BucketBuy { get; set; }
    public decimal BucketSell { get; set; }

    /// <summary>|buy − sell| of the last n complete buckets (a ring).</summary>
    public List<decimal> Ring { get; set; } = [];
    public int RingNext { get; set; }
    public decimal RingSum { get; set; }

    /// <summary>Complete buckets since the series start, and in the current minute.</summary>
    public long Buckets { get; set; }
    public long MinuteBuckets { get; set; }

    public void OnTrade(decimal px, decimal qty, decimal bucketVolume, int buckets)
    {
        if (PrevPx is { } prev && px != prev)
        {
            Direction = px > prev ? 1 : -1;
        }

        PrevPx = px;
        if (Direction == 0)
        {
            return;
        }

        if (Ring.Count != buckets)
        {
            Ring = [.. Enumerable.Repeat(0m, buckets)];
            RingNext = 0;
            RingSum = 0;
        }

        var left = qty;
        while (left > 0)
        {
            var room = bucketVolume - BucketBuy - BucketSell;
            var take = left < room ? left : room;
            if (Direction > 0)
            {
                BucketBuy += take;
            }
            else
            {
                BucketSell += take;
            }

            left -= take;
            if (take == room)
            {
                var imbalance = Math.Abs(BucketBuy - BucketSell);
                RingSum += imbalance - Ring[RingNext];
                Ring[RingNext] = imbalance;
                RingNext = (RingNext + 1) % buckets;
                Buckets++;
                MinuteBuckets++;
                BucketBuy = 0;
                BucketSell = 0;
            }
        }
    }

    /// <summary>VPIN over the last <paramref name="buckets"/> complete buckets; null until that many are complete.</summary>
    public decimal? Vpin(decimal bucketVolume, int buckets) =>
        Buckets >= buckets && Ring.Count == buckets ? RingSum / (buckets * bucketVolume) : null;
}
