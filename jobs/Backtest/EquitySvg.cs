using System.Globalization;
using System.Text;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// A self-contained SVG of a backtest: cumulative net PnL (quote) as a step line over time, and below
/// it the drawdown from the running peak, with titled axes, value labels and one date label per day
/// (or per few days on long ranges). No scripts, fonts or external references: any browser shows it.
/// </summary>
public static class EquitySvg
{
    private const int Width = 960;
    private const int Left = 90;
    private const int Right = 30;
    private const int EquityTop = 60;
    private const int EquityHeight = 270;
    private const int DrawdownTop = 380;
    private const int DrawdownHeight = 130;
    private const int Height = 570;

    public static string Render(string title, PerformanceReport report, long startMs, long endMs, string quote)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (endMs <= startMs)
        {
            endMs = startMs + TradeTime.MsPerDay;
        }

        var points = new List<(long Ts, double Equity, double Drawdown)> { (startMs, 0, 0) };
        double peak = 0;
        foreach (var p in report.EquityCurve)
        {
            var equity = (double)p.CumulativeNetPnl; // plotting only: the money itself stays decimal in the report
            peak = Math.Max(peak, equity);
            points.Add((p.Ts, equity, equity - peak));
        }

        points.Add((endMs, points[^1].Equity, points[^1].Drawdown));
        var (eqMin, eqMax) = Range(points.Min(p => p.Equity), points.Max(p => p.Equity));
        var (ddMin, _) = Range(points.Min(p => p.Drawdown), 0);
        var plotWidth = Width - Left - Right;
        double X(long ts) => Left + ((double)(ts - startMs) / (endMs - startMs) * plotWidth);
        double YEq(double v) => EquityTop + ((eqMax - v) / (eqMax - eqMin) * EquityHeight);
        double YDd(double v) => DrawdownTop + ((0 - v) / (0 - ddMin) * DrawdownHeight);

        var svg = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        svg.Append(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append(c, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append(c, $"""<text x="{Left}" y="28" font-size="16" font-weight="bold">{Escape(title)}</text>""").Append('\n');
        svg.Append(c, $"""<text x="{Left}" y="46" fill="#555">net PnL {F(report.NetPnl)} {Escape(quote)} ({F(report.NetReturnPct)} % of notional), {report.TradeCount} trades, max drawdown {F(report.MaxDrawdown)} {Escape(quote)}</text>""").Append('\n');

        Panel(svg, EquityTop, EquityHeight, eqMin, eqMax, YEq, $"cumulative net PnL ({quote})");
        Panel(svg, DrawdownTop, DrawdownHeight, ddMin, 0, YDd, $"drawdown ({quote})");
        TimeAxis(svg, startMs, endMs, X);

        // Equity as a step line: it changes only when a round trip closes.
        var path = new StringBuilder();
        path.Append(c, $"M{X(points[0].Ts):0.##},{YEq(points[0].Equity):0.##}");
        for (var i = 1; i < points.Count; i++)
        {
            path.Append(c, $" H{X(points[i].Ts):0.##} V{YEq(points[i].Equity):0.##}");
        }

        svg.Append(c, $"""<path d="{path}" fill="none" stroke="#1f6feb" stroke-width="1.6"/>""").Append('\n');
        var area = new StringBuilder();
        area.Append(c, $"M{X(points[0].Ts):0.##},{YDd(0):0.##}");
        for (var i = 1; i < points.Count; i++)
        {
            area.Append(c, $" H{X(points[i].Ts):0.##} V{YDd(points[i].Drawdown):0.##}");
        }

        area.Append(c, $" V{YDd(0):0.##} Z");
        svg.Append(c, $"""<path d="{area}" fill="#f8d0d0" stroke="#cf222e" stroke-width="1"/>""").Append('\n');
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int top, int height, double min, double max, Func<double, double> y, string label)
    {
        var c = CultureInfo.InvariantCulture;
        svg.Append(c, $"""<rect x="{Left}" y="{top}" width="{Width - Left - Right}" height="{height}" fill="none" stroke="#999"/>""").Append('\n');
        var step = SvgAxis.NiceStep((max - min) / 5);
        foreach (var v in SvgAxis.Ticks(min, max, step))
        {
            var yy = y(v);
            svg.Append(c, $"""<line x1="{Left}" y1="{yy:0.##}" x2="{Width - Right}" y2="{yy:0.##}" stroke="{(v == 0 ? "#666" : "#e5e5e5")}"/>""").Append('\n');
            svg.Append(c, $"""<text x="{Left - 6}" y="{yy + 4:0.##}" text-anchor="end">{SvgAxis.Tick(v, step)}</text>""").Append('\n');
        }

        svg.Append(c, $"""<text transform="translate(18,{top + (height / 2)}) rotate(-90)" text-anchor="middle">{Escape(label)}</text>""").Append('\n');
    }

    private static void TimeAxis(StringBuilder svg, long startMs, long endMs, Func<long, double> x)
    {
        var c = CultureInfo.InvariantCulture;
        var bottom = DrawdownTop + DrawdownHeight;
        foreach (var (ts, label, date) in SvgAxis.TimeTicks(startMs, endMs))
        {
            var xx = x(ts);
            var midnight = ts % TradeTime.MsPerDay == 0;
            svg.Append(c, $"""<line x1="{xx:0.##}" y1="{EquityTop}" x2="{xx:0.##}" y2="{bottom}" stroke="{(midnight ? "#ccc" : "#eee")}"/>""").Append('\n');
            SvgAxis.Label(svg, xx, bottom + 16, label, Width);
            if (date is not null && date != label)
            {
                SvgAxis.Label(svg, xx, bottom + 30, date, Width);
            }
        }

        svg.Append(c, $"""<text x="{Left + ((Width - Left - Right) / 2)}" y="{bottom + 48}" text-anchor="middle">time (UTC); equity steps at the exit of each round trip</text>""").Append('\n');
    }

    private static (double Min, double Max) Range(double min, double max)
    {
        if (max - min < 1e-9)
        {
            return (min - 1, max + 1);
        }

        var pad = (max - min) * 0.05;
        return (min - pad, max + pad);
    }

    private static string F(decimal value) => ExactDecimal.Format(Math.Round(value, 2, MidpointRounding.AwayFromZero));

    private static string Escape(string text) => SvgAxis.Escape(text);
}
