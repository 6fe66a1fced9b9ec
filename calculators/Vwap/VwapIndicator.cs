using System.Buffers;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Vwap;

/// <summary>
/// vwap: VWAP = Σ volQuote / Σ volBase over the minutes [M+1m−W, M+1m) for W = 1m, 1h, 4h and the
/// session, with trade counts and base volumes per window. Null until the series covers the
/// window (or without volume in it): the 1h outputs after 60 minutes of bars, the 4h ones after 240,
/// the session ones once the series covers the session from its start (<see cref="Outputs"/>).
/// </summary>
public sealed class VwapIndicator(int sessionResetHour = 0) : IBarIndicator<WindowState>
{
    public const string Calc = "vwap";

    private static readonly WarmUp H1 = RollingWindows.HourWarmUp;
    private static readonly WarmUp H4 = RollingWindows.FourHoursWarmUp;

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
    [
        new("vwap1m", WarmUp.None), new("vwap1h", H1), new("vwap4h", H4), new("vwapSession", WarmUp.Session),
        new("trades1h", H1), new("trades4h", H4), new("tradesSession", WarmUp.Session),
        new("vol1h", H1), new("vol4h", H4), new("volSession", WarmUp.Session),
    ];

    public WindowState NewState() => RollingWindows.NewState();

    public void Apply(WindowState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(bar);
        RollingWindows.Add(state, bar, sessionResetHour);
        var h1 = RollingWindows.Warm(state, H1);
        var h4 = RollingWindows.Warm(state, H4);
        var session = RollingWindows.Warm(state, WarmUp.Session);
        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        line.Dec("vwap1m"u8, bar.VolBase > 0 ? bar.VolQuote / bar.VolBase : null);
        line.Dec("vwap1h"u8, h1 ? state.H1.Vwap : null);
        line.Dec("vwap4h"u8, h4 ? state.H4.Vwap : null);
        line.Dec("vwapSession"u8, session ? state.Session.Vwap : null);
        line.Number("trades1h"u8, h1 ? state.H1.N : null);
        line.Number("trades4h"u8, h4 ? state.H4.N : null);
        line.Number("tradesSession"u8, session ? state.Session.N : null);
        line.Dec("vol1h"u8, h1 ? state.H1.Q : null);
        line.Dec("vol4h"u8, h4 ? state.H4.Q : null);
        line.Dec("volSession"u8, session ? state.Session.Q : null);
        line.End();
    }
}
