using System.Globalization;
using System.Text.Json;

namespace Pipeline.Simulator.Trading;

/// <summary>
/// The accounts file of <c>pipeline sim --accounts-file</c>: a JSON array of
/// <c>{"name","apiKey","secret","passphrase"?,"balance"?,"makerFee"?,"takerFee"?,"ordersPer10s"?,"ordersPerMinute"?}</c>
/// (numbers as JSON numbers or strings). A <see cref="FormatException"/> names the bad entry, never a secret.
/// </summary>
public static class SimAccountsFile
{
    public static IReadOnlyList<SimAccountSpec> Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("not JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected a JSON array of accounts");
            }

            var accounts = new List<SimAccountSpec>();
            var index = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                index++;
                var name = Text(e, "name") ?? $"acct{index}";
                var key = Text(e, "apiKey");
                var secret = Text(e, "secret");
                if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
                {
                    throw new FormatException($"account {index} ({name}): apiKey and secret are required");
                }

                var defaults = SimRateLimit.BinanceDefaults;
                accounts.Add(new SimAccountSpec
                {
                    Name = name,
                    ApiKey = key,
                    Secret = secret,
                    Passphrase = Text(e, "passphrase") ?? "",
                    Balance = Number(e, "balance", name) ?? 10_000m,
                    MakerFee = Number(e, "makerFee", name) ?? 0.0002m,
                    TakerFee = Number(e, "takerFee", name) ?? 0.0005m,
                    OrderLimits =
                    [
                        new((int)(Number(e, "ordersPer10s", name) ?? defaults[0].Count), defaults[0].Window),
                        new((int)(Number(e, "ordersPerMinute", name) ?? defaults[1].Count), defaults[1].Window),
                    ],
                });
            }

            if (accounts.Select(a => a.ApiKey).Distinct(StringComparer.Ordinal).Count() != accounts.Count)
            {
                throw new FormatException("two accounts have the same apiKey");
            }

            if (accounts.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != accounts.Count)
            {
                throw new FormatException("two accounts have the same name");
            }

            return accounts;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? Number(JsonElement e, string name, string account)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d >= 0)
        {
            return d;
        }

        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d) && d >= 0)
        {
            return d;
        }

        throw new FormatException($"account {account}: {name} must be a non-negative number");
    }
}
