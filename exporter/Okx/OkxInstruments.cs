using System.Text.Json;
using Pipeline.Exporter.Instruments;

namespace Pipeline.Exporter.Okx;

/// <summary>OKX GET /api/v5/public/instruments?instType=SWAP (PROTOCOL.md 1.7): contract fields as strings.</summary>
public static class OkxInstruments
{
    public const string Path = "/api/v5/public/instruments?instType=SWAP";

    public static (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) Parse(ReadOnlySpan<byte> json)
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
            var instId = InstrumentRows.Text(row, "instId");
            if (string.IsNullOrEmpty(instId))
            {
                continue;
            }

            var family = InstrumentRows.Text(row, "instFamily") is { Length: > 0 } f ? f : InstrumentRows.Text(row, "uly");
            var spec = new InstrumentSpec
            {
                Exchange = OkxVenue.Name,
                InstId = instId,
                CtVal = InstrumentRows.Text(row, "ctVal"),
                CtMult = InstrumentRows.Text(row, "ctMult"),
                CtType = InstrumentRows.Text(row, "ctType"),
                CtValCcy = InstrumentRows.Text(row, "ctValCcy"),
                BaseCcy = family.Split('-')[0] is { Length: > 0 } b ? b : null,
                State = InstrumentRows.Text(row, "state"),
            };
            InstrumentRows.Add(spec, valid, rejected);
        }

        return (valid, rejected);
    }
}
