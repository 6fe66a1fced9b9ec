using System.Globalization;
using System.Text.Json;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>OKX's private JSON carries every number as a string ("" when not applicable): read them exactly, as decimal.</summary>
internal static class OkxFields
{
    public static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>The decimal of a string field; 0 when it is missing or "" (OKX's "not applicable").</summary>
    public static decimal Number(JsonElement e, string name)
    {
        var text = Text(e, name);
        return text.Length > 0 && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var d) ? d : 0m;
    }

    public static long Long(JsonElement e, string name) =>
        long.TryParse(Text(e, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>A decimal as OKX wants it in a request: invariant, no exponent, no trailing zeros.</summary>
    public static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
