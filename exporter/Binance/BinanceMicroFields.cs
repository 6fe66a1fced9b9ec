using System.Globalization;
using System.Text.Json;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Field readers shared by the Binance microstructure parsers (WebSocket events and REST answers). Each returns false
/// with the reason when a field is missing or not of the documented kind; decimals stay the exchange's exact strings.
/// </summary>
internal static class BinanceMicroFields
{
    /// <summary>An id or ms time sent as a JSON number (or a digit string), non-negative.</summary>
    public static bool TryLong(JsonElement obj, string name, out long value, out string? problem)
    {
        value = 0;
        problem = null;
        if (!obj.TryGetProperty(name, out var e))
        {
            problem = name + " is missing";
            return false;
        }

        var ok = e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
        if (!ok || value < 0)
        {
            problem = name + " is not a non-negative integer";
            return false;
        }

        return true;
    }

    /// <summary>A plain decimal string (no sign, no exponent); <paramref name="positive"/> rejects zero.</summary>
    public static bool TryDecimal(JsonElement obj, string name, bool positive, out string value, out string? problem)
    {
        value = "";
        problem = null;
        if (!obj.TryGetProperty(name, out var e))
        {
            problem = name + " is missing";
            return false;
        }

        return IsDecimal(e, name, positive, out value, out problem);
    }

    public static bool IsDecimal(JsonElement e, string what, bool positive, out string value, out string? problem)
    {
        value = "";
        problem = null;
        if (e.ValueKind != JsonValueKind.String || e.GetString() is not { Length: > 0 } text || !ExactDecimal.IsPlain(text) ||
            text[0] == '-' || (positive && ExactDecimal.Parse(text) <= 0))
        {
            problem = what + " is not a " + (positive ? "positive" : "non-negative") + " plain decimal string";
            return false;
        }

        value = text;
        return true;
    }

    public static bool TryString(JsonElement obj, string name, out string value, out string? problem)
    {
        value = "";
        problem = null;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.String || e.GetString() is not { Length: > 0 } text)
        {
            problem = name + " is not a non-empty string";
            return false;
        }

        value = text;
        return true;
    }

    /// <summary>Price levels <c>[["price","qty"],...]</c>; a qty of "0" (a removed level) is allowed when <paramref name="zeroSize"/>.</summary>
    public static bool TryLevels(JsonElement obj, string name, bool zeroSize, out IReadOnlyList<BookLevel> levels, out string? problem)
    {
        levels = [];
        problem = null;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Array)
        {
            problem = name + " is not an array of levels";
            return false;
        }

        var list = new List<BookLevel>(e.GetArrayLength());
        foreach (var level in e.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() < 2)
            {
                problem = name + " has a level that is not [price, qty]";
                return false;
            }

            if (!IsDecimal(level[0], name + " price", positive: true, out var px, out problem) ||
                !IsDecimal(level[1], name + " qty", positive: !zeroSize, out var sz, out problem))
            {
                return false;
            }

            list.Add(new BookLevel(px, sz));
        }

        levels = list;
        return true;
    }

    /// <summary>"code N: msg" of an error answer, either <c>{"error":{"code","msg"}}</c> or bare <c>{"code","msg"}</c>; null when it is not one.</summary>
    public static string? ErrorOf(JsonElement root)
    {
        var body = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error : root;
        if (!body.TryGetProperty("code", out var code) || !body.TryGetProperty("msg", out var msg))
        {
            return null;
        }

        var codeText = code.ValueKind == JsonValueKind.Number ? code.GetRawText() : code.ToString();
        return "code " + codeText + ": " + (msg.ValueKind == JsonValueKind.String ? msg.GetString() : msg.GetRawText());
    }
}
