using System.Buffers;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.BookDepth;

/// <summary>
/// bookdepth: the recorded L2 book at the end of each minute: <c>mid</c>, <c>imbalance</c> (best bid size − best ask
/// size)/(sum), <c>bidDepth</c>/<c>askDepth</c> (size within <see cref="Bps"/> basis points of the mid),
/// <c>depthImbalance</c> (bidDepth − askDepth)/(sum), and <c>resyncs</c> in the minute. Null while the book is unknown
/// (before the first snapshot, or after a resync until the next).
/// </summary>
public sealed class BookDepthIndicator : IIndicator
{
    public const string Calc = "bookdepth";

    public BookDepthIndicator(decimal bps = 10m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bps, 0m);
        Bps = bps;
    }

    public decimal Bps { get; }

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
    [
        new("mid", WarmUp.None), new("imbalance", WarmUp.None), new("bidDepth", WarmUp.None), new("askDepth", WarmUp.None),
        new("depthImbalance", WarmUp.None), new("resyncs", WarmUp.None),
    ];

    public void EndMinute(BookDepthState state, long minute, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var depth = state.DepthWithin(Bps);
        var line = MinuteLine.Begin(output, minute, exchange, instId);
        line.Dec("mid"u8, state.Mid());
        line.Dec("imbalance"u8, state.TopImbalance());
        line.Dec("bidDepth"u8, depth?.Bid);
        line.Dec("askDepth"u8, depth?.Ask);
        line.Dec("depthImbalance"u8, depth is { } d && d.Bid + d.Ask != 0 ? (d.Bid - d.Ask) / (d.Bid + d.Ask) : null);
        line.Number("resyncs"u8, state.MinuteResyncs);
        line.End();
        state.MinuteResyncs = 0;
    }
}
