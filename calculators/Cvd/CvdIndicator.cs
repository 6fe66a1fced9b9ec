using System.Buffers;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.Cvd;

/// <summary>
/// cvd: taker buy and sell base volume, delta = buy − sell, cumulative per session and in total. No
/// warm-up: every field has a value from the first bar (cvdSession of a series that began mid-session
/// sums from the series start; cvdTotal from the series start).
/// </summary>
public sealed class CvdIndicator(int sessionResetHour = 0) : IBarIndicator<CvdState>
{
    public const string Calc = "cvd";

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
    [
        new("buyVol", WarmUp.None), new("sellVol", WarmUp.None), new("delta", WarmUp.None),
        new("cvdSession", WarmUp.None), new("cvdTotal", WarmUp.None),
    ];

    public CvdState NewState() => new();

    public void Apply(CvdState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(bar);
        var session = MinuteTime.SessionStart(bar.Minute, sessionResetHour);
        if (state.SessionStart != session)
        {
            state.SessionStart = session;
            state.CvdSession = 0;
        }

        var delta = bar.BuyVolBase - bar.SellVolBase;
        state.CvdSession += delta;
        state.CvdTotal += delta;
        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        line.Dec("buyVol"u8, bar.BuyVolBase);
        line.Dec("sellVol"u8, bar.SellVolBase);
        line.Dec("delta"u8, delta);
        line.Dec("cvdSession"u8, state.CvdSession);
        line.Dec("cvdTotal"u8, state.CvdTotal);
        line.End();
    }
}

public sealed class CvdState
{
    public long SessionStart { get; set; } = long.MinValue;
    public decimal CvdSession { get; set; }
    public decimal CvdTotal { get; set; }
}
