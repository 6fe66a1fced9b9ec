using System.Buffers;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.Vpin;

/// <summary>
/// vpin: at the end of each minute, VPIN over the last <see cref="Buckets"/> complete buckets of
/// <see cref="BucketVolume"/> base units (null until that many are complete), the buckets completed in the minute and
/// since the series start.
/// </summary>
public sealed class VpinIndicator : IIndicator
{
    public const string Calc = "vpin";

    public VpinIndicator(decimal bucketVolume = 10m, int buckets = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketVolume, 0m);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        BucketVolume = bucketVolume;
        Buckets = buckets;
    }

    public decimal BucketVolume { get; }

    public int Buckets { get; }

    public string Name => Calc;

    // VPIN's warm-up is counted in buckets, not minutes: warm from the first minute, null until n buckets are complete.
    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
        [new("vpin", WarmUp.None), new("buckets", WarmUp.None), new("bucketsTotal", WarmUp.None)];

    public void OnTrade(VpinState state, decimal px, decimal qty)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.OnTrade(px, qty, BucketVolume, Buckets);
    }

    public void EndMinute(VpinState state, long minute, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var line = MinuteLine.Begin(output, minute, exchange, instId);
        line.Dec("vpin"u8, state.Vpin(BucketVolume, Buckets));
        line.Number("buckets"u8, state.MinuteBuckets);
        line.Number("bucketsTotal"u8, state.Buckets);
        line.End();
        state.MinuteBuckets = 0;
    }
}
