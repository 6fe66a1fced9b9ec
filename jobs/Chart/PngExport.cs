using SkiaSharp;
using Svg.Skia;

namespace Pipeline.Jobs.Chart;

/// <summary>
/// Rasterises a chart SVG to PNG with Svg.Skia (SkiaSharp's native libSkiaSharp; text through the
/// machine's fonts via fontconfig, so a machine without fonts gets the lines and marks without labels).
/// </summary>
public static class PngExport
{
    /// <summary>The PNG bytes of <paramref name="svg"/> on a white background, <paramref name="scale"/> × its size.</summary>
    public static byte[] FromSvg(string svg, float scale = 1f)
    {
        ArgumentNullException.ThrowIfNull(svg);
        using var document = new SKSvg();
        if (document.FromSvg(svg) is null || document.Picture is null)
        {
            throw new InvalidOperationException("the chart SVG could not be read by the PNG renderer");
        }

        using var output = new MemoryStream();
        if (!document.Save(output, SKColors.White, SKEncodedImageFormat.Png, 100, scale, scale))
        {
            throw new InvalidOperationException("the PNG renderer wrote no image");
        }

        return output.ToArray();
    }
}
