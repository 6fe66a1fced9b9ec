using System.Globalization;
using System.Text;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Chart;

/// <summary>
/// A self-contained SVG of price over a time range: the 1-minute close (blue), the strategy window's
/// VWAP (orange) and bands (shaded, dashed edges), entries (triangles: up green = long, down red = short),
/// exits (circles; a cross for a stop-loss exit) and the stop-loss (red dashed) and take-profit (green dotted)
/// levels while their orders rest. Every mark carries data-ts/data-px and a tooltip; the plot rectangle
/// carries its scales (data-from-ms, data-to-ms, data-min, data-max), so a reader or a test can map back.
/// Ranges longer than <see cref="MaxPoints"/> minutes are drawn from N-minute buckets keeping each
/// bucket's lowest and highest close, so spikes stay visible.
/// </summary>
public static class PriceChartSvg
{
    public const int Width = 1100;
    public const int Height = 580;
    public const int Left = 90;
    public const int Right = 30;
    public const int Top = 78;
    public const int PlotHeight = 400;
    public const int MaxPoints = 1600;

    public const string PriceColor = "#1f6feb";
    public const string VwapColor = "#e36209";
    public const string BandColor = "#8250df";
    public const string LongColor = "#1a7f37";
    public const string ShortColor = "#cf222e";
    public const string StopColor = "#cf222e";
    public const string TakeProfitColor = "#1a7f37";

    public static string Render(ChartData data, long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (toMs <= fromMs)
        {
            throw new ArgumentException($"empty chart range {fromMs}..{toMs}");
        }

        var c = CultureInfo.InvariantCulture;
        var minutes = data.Minutes.Where(m => m.MinuteMs >= fromMs && m.MinuteMs < toMs).OrderBy(m => m.MinuteMs).ToList();
        var marks = data.Marks.Where(m => m.Ts >= fromMs && m.Ts <= toMs).ToList();
        var levels = data.Levels.Where(l => l.ToTs >= fromMs && l.FromTs <= toMs).ToList();
        var bucket = Math.Max(1, (int)Math.Ceiling(minutes.Count / (double)MaxPoints));

        var values = minutes.SelectMany(m => new[] { m.Close, m.Upper, m.Lower, m.Vwap }).OfType<decimal>()
            .Concat(marks.Select(m => m.Px)).Concat(levels.Select(l => l.Px)).Select(v => (double)v).ToList(); // plotting only
        var (min, max) = values.Count == 0 ? (0d, 1d) : (values.Min(), values.Max());
        if (max - min < Math.Max(1e-12, Math.Abs(max) * 1e-9))
        {
            var pad0 = Math.Max(Math.Abs(max) * 0.001, 1e-6);
            (min, max) = (min - pad0, max + pad0);
        }

        var pad = (max - min) * 0.05;
        (min, max) = (min - pad, max + pad);
        var plotWidth = Width - Left - Right;
        double X(long ts) => Left + ((double)(Math.Clamp(ts, fromMs, toMs) - fromMs) / (toMs - fromMs) * plotWidth);
        double Y(decimal v) => Top + ((max - (double)v) / (max - min) * PlotHeight);

        var svg = new StringBuilder();
        svg.Append(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append(c, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append(c, $"""<text x="{Left}" y="26" font-size="16" font-weight="bold">{SvgAxis.Escape(data.Title)}</text>""").Append('\n');
        var entries = marks.Count(m => m.IsEntry);
        var stops = marks.Count(m => m.Kind == "stop_loss");
        svg.Append(c, $"""<text x="{Left}" y="44" fill="#555">{SvgAxis.Escape(Range(fromMs, toMs))}: {minutes.Count} minutes{(bucket > 1 ? $" (drawn per {bucket} minutes: low and high close)" : "")}, {entries} entries, {marks.Count - entries} exits ({stops} at the stop)</text>""").Append('\n');
        Legend(svg);
        svg.Append(c, $"""<rect id="plot" x="{Left}" y="{Top}" width="{plotWidth}" height="{PlotHeight}" fill="none" stroke="#999" data-from-ms="{fromMs}" data-to-ms="{toMs}" data-min="{min.ToString("R", c)}" data-max="{max.ToString("R", c)}"/>""").Append('\n');

        var step = SvgAxis.NiceStep((max - min) / 6);
        foreach (var v in SvgAxis.Ticks(min, max, step))
        {
            var yy = Top + ((max - v) / (max - min) * PlotHeight);
            svg.Append(c, $"""<line x1="{Left}" y1="{yy:0.##}" x2="{Width - Right}" y2="{yy:0.##}" stroke="#eee"/>""").Append('\n');
            svg.Append(c, $"""<text x="{Left - 6}" y="{yy + 4:0.##}" text-anchor="end">{SvgAxis.Tick(v, step)}</text>""").Append('\n');
        }

        svg.Append(c, $"""<text transform="translate(16,{Top + (PlotHeight / 2)}) rotate(-90)" text-anchor="middle">price ({SvgAxis.Escape(data.Instrument)})</text>""").Append('\n');
        var bottom = Top + PlotHeight;
        foreach (var (ts, label, date) in SvgAxis.TimeTicks(fromMs, toMs))
        {
            var xx = X(ts);
            svg.Append(c, $"""<line x1="{xx:0.##}" y1="{Top}" x2="{xx:0.##}" y2="{bottom}" stroke="{(ts % TradeTime.MsPerDay == 0 ? "#ccc" : "#f0f0f0")}"/>""").Append('\n');
            SvgAxis.Label(svg, xx, bottom + 16, label, Width);
            if (date is not null && date != label)
            {
                SvgAxis.Label(svg, xx, bottom + 30, date, Width);
            }
        }

        svg.Append(c, $"""<text x="{Left + (plotWidth / 2)}" y="{bottom + 50}" text-anchor="middle">time (UTC), 1-minute closes</text>""").Append('\n');

        var buckets = Buckets(minutes, bucket);
        BandArea(svg, buckets, X, Y);
        Line(svg, buckets.Select(b => (b.Ts, b.Upper)), X, Y, BandColor, "upper band", """ stroke-dasharray="4 3" stroke-width="1" """);
        Line(svg, buckets.Select(b => (b.Ts, b.Lower)), X, Y, BandColor, "lower band", """ stroke-dasharray="4 3" stroke-width="1" """);
        Line(svg, buckets.Select(b => (b.Ts, b.Vwap)), X, Y, VwapColor, "vwap", """ stroke-width="1.4" """);
        var price = buckets.SelectMany(b => b.LowFirst
            ? new[] { (b.LowTs, (decimal?)b.Low), (b.HighTs, (decimal?)b.High) }
            : [(b.HighTs, (decimal?)b.High), (b.LowTs, (decimal?)b.Low)]).Distinct();
        Line(svg, price, X, Y, PriceColor, "price", """ stroke-width="1.5" """);

        foreach (var level in levels)
        {
            var color = level.Kind == "stop_loss" ? StopColor : TakeProfitColor;
            var dash = level.Kind == "stop_loss" ? "6 3" : "2 3";
            svg.Append(c, $"""<line class="level" data-kind="{level.Kind}" data-px="{ExactDecimal.Format(level.Px)}" data-from-ts="{level.FromTs}" data-to-ts="{level.ToTs}" x1="{X(level.FromTs):0.##}" y1="{Y(level.Px):0.##}" x2="{X(level.ToTs):0.##}" y2="{Y(level.Px):0.##}" stroke="{color}" stroke-width="1.2" stroke-dasharray="{dash}"><title>{Title(level)}</title></line>""").Append('\n');
        }

        foreach (var mark in marks)
        {
            Mark(svg, mark, X(mark.Ts), Y(mark.Px));
        }

        if (minutes.Count == 0)
        {
            svg.Append(c, $"""<text x="{Left + (plotWidth / 2)}" y="{Top + (PlotHeight / 2)}" text-anchor="middle" fill="#999">no minutes in this range</text>""").Append('\n');
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg)
    {
        var c = CultureInfo.InvariantCulture;
        var x = (double)Left;
        const int y = 62;
        void Item(string shape, string text)
        {
            svg.Append(shape).Append('\n');
            svg.Append(c, $"""<text x="{x + 22:0.##}" y="{y + 4}" fill="#333">{text}</text>""").Append('\n');
            x += 32 + (Math.Max(text.Length, 5) * 12 * SvgAxis.CharWidthEm); // short capitalised names (VWAP) are wider than the average glyph
        }

        Item($"""<line x1="{x}" y1="{y}" x2="{x + 18}" y2="{y}" stroke="{PriceColor}" stroke-width="2"/>""", "close");
        Item($"""<line x1="{x}" y1="{y}" x2="{x + 18}" y2="{y}" stroke="{VwapColor}" stroke-width="2"/>""", "VWAP");
        Item($"""<rect x="{x}" y="{y - 5}" width="18" height="10" fill="{BandColor}" fill-opacity="0.12" stroke="{BandColor}" stroke-dasharray="4 3"/>""", "bands");
        Item(Triangle(x + 9, y, up: true, LongColor, ""), "long entry");
        Item(Triangle(x + 9, y, up: false, ShortColor, ""), "short entry");
        Item(string.Create(c, $"""<circle cx="{x + 9}" cy="{y}" r="4" fill="white" stroke="#24292f" stroke-width="2"/>"""), "exit");
        Item(Cross(x + 9, y, ""), "stop-loss exit");
        Item(string.Create(c, $"""<line x1="{x}" y1="{y}" x2="{x + 18}" y2="{y}" stroke="{StopColor}" stroke-dasharray="6 3" stroke-width="1.2"/>"""), "stop level");
        Item(string.Create(c, $"""<line x1="{x}" y1="{y}" x2="{x + 18}" y2="{y}" stroke="{TakeProfitColor}" stroke-dasharray="2 3" stroke-width="1.2"/>"""), "take-profit level");
    }

    private static void Mark(StringBuilder svg, ChartMark mark, double x, double y)
    {
        var c = CultureInfo.InvariantCulture;
        var data = string.Create(c, $"""class="mark" data-kind="{mark.Kind}" data-direction="{mark.Direction}" data-ts="{mark.Ts}" data-px="{ExactDecimal.Format(mark.Px)}" data-x="{x:0.##}" data-y="{y:0.##}" """);
        var title = SvgAxis.Escape($"{mark.Direction} {mark.Kind.Replace('_', ' ')} {Time(mark.Ts)} @ {ExactDecimal.Format(mark.Px)} ({mark.PositionId})");
        var shape = mark.IsEntry ? Triangle(x, y, mark.Direction == "long", mark.Direction == "long" ? LongColor : ShortColor, data)
            : mark.Kind == "stop_loss" ? Cross(x, y, data)
            : string.Create(c, $"""<circle {data}cx="{x:0.##}" cy="{y:0.##}" r="4.5" fill="white" stroke="#24292f" stroke-width="2"/>""");
        svg.Append(c, $"<g>{shape}<title>{title}</title></g>").Append('\n');
    }

    /// <summary>A triangle whose tip is at (x, y): pointing up from below for a buy, down from above for a sell.</summary>
    private static string Triangle(double x, double y, bool up, string color, string data)
    {
        var c = CultureInfo.InvariantCulture;
        var baseY = up ? y + 10 : y - 10;
        return string.Create(c, $"""<path {data}d="M{x:0.##},{y:0.##} L{x - 6:0.##},{baseY:0.##} L{x + 6:0.##},{baseY:0.##} Z" fill="{color}" stroke="white" stroke-width="0.8"/>""");
    }

    private static string Cross(double x, double y, string data) =>
        string.Create(CultureInfo.InvariantCulture,
            $"""<path {data}d="M{x - 5:0.##},{y - 5:0.##} L{x + 5:0.##},{y + 5:0.##} M{x - 5:0.##},{y + 5:0.##} L{x + 5:0.##},{y - 5:0.##}" stroke="{StopColor}" stroke-width="2.5" fill="none"/>""");

    private sealed record Bucket(long Ts, long LowTs, decimal Low, long HighTs, decimal High, bool LowFirst, decimal? Vwap, decimal? Upper, decimal? Lower);

    private static List<Bucket> Buckets(List<ChartMinute> minutes, int size)
    {
        var result = new List<Bucket>();
        for (var i = 0; i < minutes.Count; i += size)
        {
            var part = minutes.GetRange(i, Math.Min(size, minutes.Count - i));
            var low = part.MinBy(m => m.Close)!;
            var high = part.MaxBy(m => m.Close)!;
            var last = part[^1];
            // A close is the price at the end of its minute: drawn there, so a fill inside the minute sits left of it.
            var mid = TradeTime.MsPerMinute;
            result.Add(new Bucket(last.MinuteMs + mid, low.MinuteMs + mid, low.Close, high.MinuteMs + mid, high.Close, low.MinuteMs <= high.MinuteMs,
                last.Vwap, last.Upper, last.Lower));
        }

        return result;
    }

    /// <summary>A polyline that breaks at nulls and at gaps of more than 10 minutes (no data there).</summary>
    private static void Line(StringBuilder svg, IEnumerable<(long Ts, decimal? Value)> points, Func<long, double> x, Func<decimal, double> y,
        string color, string name, string style)
    {
        var c = CultureInfo.InvariantCulture;
        var path = new StringBuilder();
        long? previous = null;
        var gap = 10 * TradeTime.MsPerMinute;
        foreach (var (ts, value) in points)
        {
            if (value is not { } v)
            {
                previous = null;
                continue;
            }

            path.Append(c, $"{(previous is { } p && ts - p <= gap ? " L" : " M")}{x(ts):0.##},{y(v):0.##}");
            previous = ts;
        }

        if (path.Length > 0)
        {
            svg.Append(c, $"""<path class="series" data-series="{name}" d="{path.ToString().TrimStart()}" fill="none" stroke="{color}"{style.TrimEnd()} stroke-linejoin="round"/>""").Append('\n');
        }
    }

    private static void BandArea(StringBuilder svg, List<Bucket> buckets, Func<long, double> x, Func<decimal, double> y)
    {
        var c = CultureInfo.InvariantCulture;
        var run = new List<Bucket>();
        void Flush()
        {
            if (run.Count > 1)
            {
                var d = new StringBuilder();
                d.Append(c, $"M{x(run[0].Ts):0.##},{y(run[0].Upper!.Value):0.##}");
                foreach (var b in run.Skip(1))
                {
                    d.Append(c, $" L{x(b.Ts):0.##},{y(b.Upper!.Value):0.##}");
                }

                for (var i = run.Count - 1; i >= 0; i--)
                {
                    d.Append(c, $" L{x(run[i].Ts):0.##},{y(run[i].Lower!.Value):0.##}");
                }

                svg.Append(c, $"""<path d="{d} Z" fill="{BandColor}" fill-opacity="0.10" stroke="none"/>""").Append('\n');
            }

            run.Clear();
        }

        foreach (var b in buckets)
        {
            if (b.Upper is null || b.Lower is null || (run.Count > 0 && b.Ts - run[^1].Ts > 10 * TradeTime.MsPerMinute))
            {
                Flush();
            }

            if (b.Upper is not null && b.Lower is not null)
            {
                run.Add(b);
            }
        }

        Flush();
    }

    private static string Title(ChartLevel level) =>
        SvgAxis.Escape($"{level.Kind.Replace('_', ' ')} {ExactDecimal.Format(level.Px)} from {Time(level.FromTs)} to {Time(level.ToTs)} ({level.PositionId})");

    private static string Time(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Range(long fromMs, long toMs) => $"{Time(fromMs)} – {Time(toMs)} UTC";
}
