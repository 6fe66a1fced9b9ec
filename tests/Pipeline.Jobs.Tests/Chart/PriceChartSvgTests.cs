using System.Globalization;
using System.Xml.Linq;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution;
using Pipeline.Vault.Trades;
using SkiaSharp;

namespace Pipeline.Jobs.Tests.Chart;

public sealed class PriceChartSvgTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";
    private static readonly long Start = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));
    private static readonly long End = Start + (60 * 60_000L);

    /// <summary>One hour: closes rise 100 → 102.9 then fall; a long that takes profit, a short stopped out.</summary>
    internal static ChartData Fixture()
    {
        var minutes = Enumerable.Range(0, 60).Select(i =>
        {
            var close = i < 30 ? 100m + (i * 0.1m) : 102.9m - ((i - 30) * 0.05m);
            return new ChartMinute(Start + (i * 60_000L), close, i < 5 ? null : 100.5m, i < 5 ? null : 101.5m, i < 5 ? null : 99.5m);
        }).ToList();
        FillEvent Fill(long offsetMs, string position, string kind, string side, decimal px) =>
            new(Start + offsetMs, "f-" + kind + position, "o-" + kind + position, position, kind, side, px, 1m, 100m, "maker", 0.0002m, 0.02m, null);
        OrderEvent Order(long offsetMs, string id, string position, string evt, string kind, decimal px) =>
            new(Start + offsetMs, id, position, evt, kind, "sell", kind == "stop_loss" ? "stop_market" : "limit", px, 1m, null, "");
        var fills = new[]
        {
            Fill(615_000, "p1", "entry", "buy", 99.6m),
            Fill(1_540_000, "p1", "take_profit", "sell", 100.9m),
            Fill(2_100_000, "p2", "entry", "sell", 102.2m),
            Fill(3_005_000, "p2", "stop_loss", "buy", 102.6m),
        };
        var orders = new[]
        {
            Order(615_000, "s1", "p1", "placed", "stop_loss", 99.2m),
            Order(615_000, "t1", "p1", "placed", "take_profit", 100.9m),
            Order(1_540_000, "t1", "p1", "filled", "take_profit", 100.9m),
            Order(1_540_000, "s1", "p1", "cancelled", "stop_loss", 99.2m),
            Order(2_100_000, "s2", "p2", "placed", "stop_loss", 102.6m),
            Order(2_100_000, "t2", "p2", "placed", "take_profit", 101.8m),
            Order(3_005_000, "s2", "p2", "filled", "stop_loss", 102.6m),
            Order(3_005_000, "t2", "p2", "cancelled", "take_profit", 101.8m),
        };
        return ChartData.From("fixture", "TEST-USDT-SWAP", minutes, fills, orders, End);
    }

    [Fact]
    public void Render_KnownFills_MarksAtTheirTimeAndPrice()
    {
        var svg = XDocument.Parse(PriceChartSvg.Render(Fixture(), Start, End));
        var (x, y) = Scale(svg);

        var marks = svg.Descendants().Where(e => (string?)e.Attribute("class") == "mark").ToList();
        Assert.Equal(4, marks.Count);
        var longEntry = Single(marks, "entry", "long");
        Assert.Equal(PriceChartSvg.LongColor, (string?)longEntry.Attribute("fill"));
        AssertPoint(Move(longEntry), x(Start + 615_000), y(99.6)); // the triangle's tip is the fill
        var exit = Single(marks, "take_profit", "long");
        Assert.Equal("circle", exit.Name.LocalName);
        AssertPoint((Num(exit, "cx"), Num(exit, "cy")), x(Start + 1_540_000), y(100.9));
        var shortEntry = Single(marks, "entry", "short");
        Assert.Equal(PriceChartSvg.ShortColor, (string?)shortEntry.Attribute("fill"));
        AssertPoint(Move(shortEntry), x(Start + 2_100_000), y(102.2));
        var stop = Single(marks, "stop_loss", "short");
        AssertPoint(Move(stop), x(Start + 3_005_000) - 5, y(102.6) - 5); // a cross centred on the fill

        var levels = svg.Descendants(Ns + "line").Where(e => (string?)e.Attribute("class") == "level").ToList();
        Assert.Equal(4, levels.Count);
        var stop1 = levels.Single(l => (string?)l.Attribute("data-kind") == "stop_loss" && (string?)l.Attribute("data-px") == "99.2");
        AssertPoint((Num(stop1, "x1"), Num(stop1, "y1")), x(Start + 615_000), y(99.2));
        AssertPoint((Num(stop1, "x2"), Num(stop1, "y2")), x(Start + 1_540_000), y(99.2));

        // The price line starts at the close of the first minute (its end) and ends at the last close.
        var price = svg.Descendants(Ns + "path").Single(p => (string?)p.Attribute("data-series") == "price");
        Assert.Equal(PriceChartSvg.PriceColor, (string?)price.Attribute("stroke"));
        AssertPoint(Move(price), x(Start + 60_000), y(100));
        var vwap = svg.Descendants(Ns + "path").Single(p => (string?)p.Attribute("data-series") == "vwap");
        AssertPoint(Move(vwap), x(Start + (6 * 60_000)), y(100.5)); // VWAP starts with the first minute that has one
    }

    [Fact]
    public void Render_AxisLabels_AgreeWithTheScaleOfTheMarks()
    {
        var svg = XDocument.Parse(PriceChartSvg.Render(Fixture(), Start, End));
        var (_, y) = Scale(svg);

        var ticks = svg.Descendants(Ns + "text").Where(t => (string?)t.Attribute("text-anchor") == "end" && Num(t, "x") == PriceChartSvg.Left - 6).ToList();
        Assert.True(ticks.Count >= 4, $"{ticks.Count} price ticks");
        foreach (var tick in ticks)
        {
            var value = double.Parse(tick.Value, CultureInfo.InvariantCulture);
            Assert.InRange(Num(tick, "y") - 4, y(value) - 0.02, y(value) + 0.02); // the label sits at its value
        }

        // Every value drawn lies inside the plot: lowest the 99.2 stop, highest the 102.9 close.
        var plot = svg.Descendants(Ns + "rect").Single(r => (string?)r.Attribute("id") == "plot");
        Assert.True(Num(plot, "data-min") < 99.2 && Num(plot, "data-max") > 102.9);
    }

    [Fact]
    public void Render_LongRange_DrawnFromBucketsKeepingTheSpike()
    {
        var start = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));
        var minutes = Enumerable.Range(0, 5 * 1440).Select(i => new ChartMinute(start + (i * 60_000L), i == 4000 ? 150m : 100m, 100m, 101m, 99m)).ToList();

        var svg = XDocument.Parse(PriceChartSvg.Render(new ChartData("t", "X", minutes, [], []), start, start + (5 * TradeTime.MsPerDay)));

        var d = (string)svg.Descendants(Ns + "path").Single(p => (string?)p.Attribute("data-series") == "price").Attribute("d")!;
        var points = d.Split(' ').Length;
        Assert.InRange(points, 100, 2 * PriceChartSvg.MaxPoints);
        var (_, y) = Scale(svg);
        Assert.Contains(d.Split(' '), p => Math.Abs(double.Parse(p.TrimStart('M', 'L').Split(',')[1], CultureInfo.InvariantCulture) - y(150)) < 0.02);
    }

    [Fact]
    public void Png_OfFixtureChart_HasItsSizeAndDrawnContent()
    {
        var svgText = PriceChartSvg.Render(Fixture(), Start, End);
        var (x, y) = Scale(XDocument.Parse(svgText));

        var png = PngExport.FromSvg(svgText);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4).ToArray());
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(PriceChartSvg.Width, bitmap.Width);
        Assert.Equal(PriceChartSvg.Height, bitmap.Height);
        var drawn = 0;
        var priceBlue = 0;
        for (var py = 0; py < bitmap.Height; py++)
        {
            for (var px = 0; px < bitmap.Width; px++)
            {
                var p = bitmap.GetPixel(px, py);
                drawn += p.Red < 245 || p.Green < 245 || p.Blue < 245 ? 1 : 0;
                priceBlue += Near(p, PriceChartSvg.PriceColor, 40) ? 1 : 0;
            }
        }

        Assert.True(drawn > bitmap.Width * bitmap.Height / 50, $"{drawn} non-white pixels");
        Assert.True(priceBlue > 500, $"{priceBlue} pixels of the price line's colour"); // ~1000 px long, 1.5 px wide
        // Inside the long entry's triangle, just below its tip, the picture is green.
        var inside = bitmap.GetPixel((int)Math.Round(x(Start + 615_000)), (int)Math.Round(y(99.6) + 7));
        Assert.True(Near(inside, PriceChartSvg.LongColor, 40), $"pixel {inside} inside the long entry mark");
    }

    private static bool Near(SKColor p, string hex, int tolerance)
    {
        var c = SKColor.Parse(hex);
        return Math.Abs(p.Red - c.Red) <= tolerance && Math.Abs(p.Green - c.Green) <= tolerance && Math.Abs(p.Blue - c.Blue) <= tolerance;
    }

    /// <summary>The picture's own scales, from the plot rectangle: time → x, price → y.</summary>
    private static (Func<long, double> X, Func<double, double> Y) Scale(XDocument svg)
    {
        var plot = svg.Descendants(Ns + "rect").Single(r => (string?)r.Attribute("id") == "plot");
        var (left, top, width, height) = (Num(plot, "x"), Num(plot, "y"), Num(plot, "width"), Num(plot, "height"));
        var (from, to) = (long.Parse((string)plot.Attribute("data-from-ms")!, CultureInfo.InvariantCulture), long.Parse((string)plot.Attribute("data-to-ms")!, CultureInfo.InvariantCulture));
        var (min, max) = (Num(plot, "data-min"), Num(plot, "data-max"));
        Assert.Equal(PriceChartSvg.Left, left);
        Assert.Equal(PriceChartSvg.Width - PriceChartSvg.Left - PriceChartSvg.Right, width);
        return (ts => left + ((double)(ts - from) / (to - from) * width), v => top + ((max - v) / (max - min) * height));
    }

    private static XElement Single(List<XElement> marks, string kind, string direction) =>
        marks.Single(m => (string?)m.Attribute("data-kind") == kind && (string?)m.Attribute("data-direction") == direction);

    private static (double, double) Move(XElement path)
    {
        var first = ((string)path.Attribute("d")!).Split(' ')[0].TrimStart('M').Split(',');
        return (double.Parse(first[0], CultureInfo.InvariantCulture), double.Parse(first[1], CultureInfo.InvariantCulture));
    }

    private static double Num(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    private static void AssertPoint((double X, double Y) actual, double x, double y)
    {
        Assert.InRange(actual.X, x - 0.01, x + 0.01);
        Assert.InRange(actual.Y, y - 0.01, y + 0.01);
    }
}
