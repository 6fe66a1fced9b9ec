using System.Buffers;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Vwap;

/// <summary>
/// vwap: VWAP = Σ volQuote / Σ volBase over the minutes [M+1m−W, M+1m) for W = 1m, 1h, 4h and the
/// session, with trade counts and base volumes per window. Null until the series covers the
/// window (or without volume in it).
/// </summary>
public sealed class VwapIndicator(int sessionResetHour = 0) : IBarIndicator<WindowState>
{
    public const string Calc = "vwap";

    public string Name => Calc;

    public WindowState NewState() => RollingWindows.NewState();

    public void Apply(WindowState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(bar);
        RollingWindows.Add(state, bar, sessionResetHour);
        var h1 = RollingWindows.Warm(state, 60);
        var h4 = RollingWindows.Warm(state, 240);
        var session = RollingWindows.SessionWarm(state);
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
