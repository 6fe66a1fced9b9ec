using System.Globalization;
using System.Text;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Chart;

/// <summary>
/// Axis helpers shared by the backtest's SVGs (equity, price): nice value steps, tick labels that
/// never read "-0", and time labels kept inside the picture (the last date label at the right edge
/// is anchored at its end instead of its middle, so it is not cut off).
/// </summary>
public static class SvgAxis
{
    /// <summary>Average glyph width of the sans-serif labels in em: enough to keep a label inside the picture.</summary>
    public const double CharWidthEm = 0.62;

    /// <summary>1, 2 or 5 × a power of ten, at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0) || double.IsInfinity(raw))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    /// <summary>The tick values from <paramref name="min"/> to <paramref name="max"/> at <paramref name="step"/>; a value within rounding of 0 is exactly 0.</summary>
    public static IEnumerable<double> Ticks(double min, double max, double step)
    {
        var first = Math.Ceiling(min / step);
        for (var i = first; (i * step) <= max + (step / 1000); i++)
        {
            var v = i * step;
            yield return Math.Abs(v) < step / 1000 ? 0d : v; // 0 × step or a rounding error: never -0
        }
    }

    /// <summary>A tick label with as many decimals as the step needs; "0", never "-0".</summary>
    public static string Tick(double value, double step)
    {
        var decimals = step >= 1 ? 0 : Math.Min(12, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // also turns -0.0 into 0.0
        }

        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A text element at (x, y) anchored at its middle, or at its start or end when the middle would
    /// push it past the left or right edge of a picture <paramref name="width"/> wide.
    /// </summary>
    public static void Label(StringBuilder svg, double x, double y, string text, int width, int fontSize = 12, string? extra = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(text);
        var half = text.Length * fontSize * CharWidthEm / 2;
        var anchor = x + half > width ? "end" : x - half < 0 ? "start" : "middle";
        var at = anchor == "end" ? Math.Min(x, width - 2) : anchor == "start" ? Math.Max(x, 2) : x;
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{at:0.##}" y="{y:0.##}" text-anchor="{anchor}"{(extra is null ? "" : " " + extra)}>{Escape(text)}</text>""").Append('\n');
    }

    /// <summary>Time ticks over [startMs, endMs]: every few hours on short ranges (date at midnight), else every day or few days.</summary>
    public static IEnumerable<(long Ts, string Label, string? Date)> TimeTicks(long startMs, long endMs)
    {
        var c = CultureInfo.InvariantCulture;
        var hours = (double)(endMs - startMs) / 3_600_000;
        var days = (int)Math.Ceiling((double)(endMs - startMs) / TradeTime.MsPerDay);
        long step = hours <= 3 ? 15 * 60_000L : hours <= 8 ? 3_600_000L : hours <= 24 ? 2 * 3_600_000L : days <= 2 ? 3 * 3_600_000L
            : Math.Max(1, (int)Math.Ceiling(days / 12.0)) * TradeTime.MsPerDay;
        for (var ts = TradeTime.DayStartMs(TradeTime.Day(startMs)); ts <= endMs; ts += step)
        {
            if (ts < startMs)
            {
                continue;
            }

            var time = TradeTime.ToDateTimeOffset(ts).UtcDateTime;
            var midnight = ts % TradeTime.MsPerDay == 0;
            yield return step < TradeTime.MsPerDay
                ? (ts, time.ToString("HH:mm", c), midnight ? time.ToString("yyyy-MM-dd", c) : null)
                : (ts, time.ToString("yyyy-MM-dd", c), null);
        }
    }

    public static string Escape(string text) =>
        (text ?? throw new ArgumentNullException(nameof(text)))
        .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
