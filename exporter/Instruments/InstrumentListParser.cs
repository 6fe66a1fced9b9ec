using System.Text.Json;

namespace Pipeline.Exporter.Instruments;

/// <summary>
/// Parses instrument lists: OKX /api/v5/public/instruments?instType=SWAP (PROTOCOLS 1.7) and Binance
/// /fapi/v1/exchangeInfo (2.4). Rows whose contract fields fail validation are returned as rejected
/// with the field named, never silently dropped.
/// </summary>
public static class InstrumentListParser
{
    public static (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) ParseOkx(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        var code = root.TryGetProperty("code", out var c) ? c.ToString() : null;
        if (code is not "0")
        {
            var msg = root.TryGetProperty("msg", out var m) ? m.ToString() : string.Empty;
            throw new InvalidDataException($"OKX instruments answered code {code ?? "(none)"}: {msg}");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("OKX instruments response has no data array");
        }

        var valid = new List<InstrumentSpec>();
        var rejected = new List<RejectedInstrument>();
        foreach (var row in data.EnumerateArray())
        {
            var instId = Text(row, "instId");
            if (string.IsNullOrEmpty(instId))
            {
                continue;
            }

            var family = Text(row, "instFamily") is { Length: > 0 } f ? f : Text(row, "uly");
            var spec = new InstrumentSpec
            {
                Exchange = "okx",
                InstId = instId,
                CtVal = Text(row, "ctVal"),
                CtMult = Text(row, "ctMult"),
                CtType = Text(row, "ctType"),
                CtValCcy = Text(row, "ctValCcy"),
                BaseCcy = family.Split('-')[0] is { Length: > 0 } b ? b : null,
                State = Text(row, "state"),
            };
            Add(spec, valid, rejected);
        }

        return (valid, rejected);
    }

    public static (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) ParseBinance(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("Binance exchangeInfo response has no symbols array");
        }

        var valid = new List<InstrumentSpec>();
        var rejected = new List<RejectedInstrument>();
        foreach (var row in symbols.EnumerateArray())
        {
            var symbol = Text(row, "symbol");
            if (string.IsNullOrEmpty(symbol))
            {
                continue;
            }

            // USD-M quantities are already in the base asset: ctVal 1, ctMult 1, linear (DESIGN.md).
            var baseAsset = Text(row, "baseAsset");
            var spec = new InstrumentSpec
            {
                Exchange = "binance",
                InstId = symbol,
                CtVal = "1",
                CtMult = "1",
                CtType = "linear",
                CtValCcy = baseAsset,
                BaseCcy = baseAsset.Length > 0 ? baseAsset : null,
                State = Text(row, "status"),
            };
            Add(spec, valid, rejected);
        }

        return (valid, rejected);
    }

    private static void Add(InstrumentSpec spec, List<InstrumentSpec> valid, List<RejectedInstrument> rejected)
    {
        if (spec.Validate() is { } error)
        {
            rejected.Add(new RejectedInstrument(spec.InstId, error));
        }
        else
        {
            valid.Add(spec);
        }
    }

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : string.Empty;
}
