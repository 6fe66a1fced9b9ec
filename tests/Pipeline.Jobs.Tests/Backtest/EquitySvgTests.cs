using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Tests.Chart;
using Pipeline.Vault.Trades;
using SkiaSharp;

namespace Pipeline.Jobs.Tests.Backtest;

public sealed class EquitySvgTests
{
    [Fact]
    public void EquitySvg_RenderedToPng_HasItsSizeAndBothPanelsDrawn()
    {
        var start = TradeTime.DayStartMs(new DateOnly(2026, 3, 1));
        var trips = Enumerable.Range(0, 12).Select(i => SvgAxisTests.Trip(start + ((i + 1) * 5_400_000L), i % 3 == 0 ? -4m : 3m)).ToList();
        var svg = EquitySvg.Render("equity", PerformanceReport.FromRoundTrips(trips), start, start + TradeTime.MsPerDay, "USDT");

        using var bitmap = SKBitmap.Decode(PngExport.FromSvg(svg));

        Assert.Equal(960, bitmap.Width);
        Assert.Equal(570, bitmap.Height);
        int blue = 0, red = 0, pink = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                blue += Near(p, 0x1f, 0x6f, 0xeb) ? 1 : 0; // the equity line
                red += Near(p, 0xcf, 0x22, 0x2e) ? 1 : 0; // the drawdown outline
                pink += Near(p, 0xf8, 0xd0, 0xd0) ? 1 : 0; // the drawdown area
            }
        }

        Assert.True(blue > 400, $"{blue} pixels of the equity line");
        Assert.True(red > 200, $"{red} pixels of the drawdown outline");
        Assert.True(pink > 1000, $"{pink} pixels of the drawdown area");
    }

    private static bool Near(SKColor p, byte r, byte g, byte b) => Math.Abs(p.Red - r) <= 40 && Math.Abs(p.Green - g) <= 40 && Math.Abs(p.Blue - b) <= 40;
}
