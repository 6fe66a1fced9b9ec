using System.Globalization;
using System.Xml.Linq;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Chart;

public sealed class SvgAxisTests
{
    /// <summary>Width of a glyph in em, more than DejaVu Sans' digits (0.636) and hyphens: a label measured this way is at least as wide as drawn.</summary>
    private const double GlyphEm = 0.65;

    [Fact]
    public void Tick_TinyNegativeValue_RendersZero()
    {
        Assert.Equal("0", SvgAxis.Tick(-1e-17, 1));
        Assert.Equal("0.0", SvgAxis.Tick(-5.551115123125783e-17, 0.1));
        Assert.Equal("0.00", SvgAxis.Tick(-0.0, 0.05));
        Assert.Equal("-0.3", SvgAxis.Tick(-0.30000000000000004, 0.1));
    }

    [Fact]
    public void Ticks_StepsAcrossZero_ZeroIsExactlyZero()
    {
        // -0.3 + 3 × 0.1 summed in doubles is -5.55e-17: the old loop printed it as "-0.0".
        var labels = SvgAxis.Ticks(-0.35, 0.35, 0.1).Select(v => SvgAxis.Tick(v, 0.1)).ToList();

        Assert.Equal(["-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"], labels);
    }

    [Fact]
    public void EquitySvg_LossThenGain_NoMinusZeroTickLabel()
    {
        var trips = new[]
        {
            Trip(TradeTime.DayStartMs(new DateOnly(2026, 3, 1)) + 3_600_000, -0.3m),
            Trip(TradeTime.DayStartMs(new DateOnly(2026, 3, 2)) + 3_600_000, 0.55m),
        };
        var svg = EquitySvg.Render("t", PerformanceReport.FromRoundTrips(trips), TradeTime.DayStartMs(new DateOnly(2026, 3, 1)),
            TradeTime.DayStartMs(new DateOnly(2026, 3, 3)), "USDT");

        var labels = Texts(svg).Select(t => t.Text).ToList();
        Assert.DoesNotContain(labels, l => l.StartsWith("-0", StringComparison.Ordinal) && double.Parse(l, CultureInfo.InvariantCulture) == 0);
        Assert.Contains("0.0", labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(30)]
    public void EquitySvg_LastDateLabel_InsideViewBox(int days)
    {
        var start = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));
        var end = start + (days * TradeTime.MsPerDay);
        var svg = EquitySvg.Render("t", PerformanceReport.FromRoundTrips([Trip(start + 7_200_000, 1m)]), start, end, "USDT");

        var width = double.Parse(XDocument.Parse(svg).Root!.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        var dates = Texts(svg).Where(t => t.Text.Length == 10 && t.Text.StartsWith("2026-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dates);
        var last = dates.MaxBy(t => t.X)!;
        Assert.Equal(TradeTime.Day(end).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.Text); // the end date is labelled, at the right edge
        foreach (var label in dates)
        {
            var (left, right) = Extent(label);
            Assert.True(left >= 0 && right <= width, $"'{label.Text}' spans {left:0.#}..{right:0.#}, outside 0..{width}");
        }
    }

    [Fact]
    public void PriceChart_LastTimeLabels_InsideViewBox()
    {
        var start = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));
        var minutes = Enumerable.Range(0, 3 * 1440).Select(i => new ChartMinute(start + (i * 60_000L), 100 + (i % 7), 100, 103, 97)).ToList();
        var svg = PriceChartSvg.Render(new ChartData("t", "X", minutes, [], []), start, start + (3 * TradeTime.MsPerDay));

        foreach (var label in Texts(svg).Where(t => t.Anchor is not null))
        {
            var (left, right) = Extent(label);
            Assert.True(left >= 0 && right <= PriceChartSvg.Width, $"'{label.Text}' spans {left:0.#}..{right:0.#}");
        }

        Assert.Contains(Texts(svg), t => t.Text == "2026-03-04");
    }

    internal static RoundTrip Trip(long exitTs, decimal net, string direction = "long", long? entryTs = null) =>
        new("p" + exitTs.ToString(CultureInfo.InvariantCulture), direction, entryTs ?? exitTs - 600_000, 100m, exitTs, 100m, net > 0 ? "take_profit" : "stop_loss",
            1000m, net + 1m, 1m, net);

    private sealed record Label(string Text, double X, string? Anchor, double FontSize);

    private static List<Label> Texts(string svg)
    {
        var ns = XNamespace.Get("http://www.w3.org/2000/svg");
        return [.. XDocument.Parse(svg).Descendants(ns + "text").Where(t => t.Attribute("x") is not null).Select(t => new Label(t.Value,
            double.Parse(t.Attribute("x")!.Value, CultureInfo.InvariantCulture), t.Attribute("text-anchor")?.Value,
            t.Attribute("font-size") is { } f ? double.Parse(f.Value, CultureInfo.InvariantCulture) : 12))];
    }

    private static (double Left, double Right) Extent(Label label)
    {
        var w = label.Text.Length * label.FontSize * GlyphEm;
        return label.Anchor switch
        {
            "end" => (label.X - w, label.X),
            "middle" => (label.X - (w / 2), label.X + (w / 2)),
            _ => (label.X, label.X + w),
        };
    }
}
