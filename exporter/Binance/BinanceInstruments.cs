using System.Text.Json;
using Pipeline.Exporter.Instruments;

namespace Pipeline.Exporter.Binance;

/// <summary>Binance GET /fapi/v1/exchangeInfo (PROTOCOL.md 2.4): USD-M symbols, quantities already in the base asset.</summary>
public static class BinanceInstruments
{
    public const string Path = "/fapi/v1/exchangeInfo";

    public static (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) Parse(ReadOnlySpan<byte> json)
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
            var symbol = InstrumentRows.Text(row, "symbol");
            if (string.IsNullOrEmpty(symbol))
            {
                continue;
            }

            // USD-M quantities are already in the base asset: ctVal 1, ctMult 1, linear (DESIGN.md).
            var baseAsset = InstrumentRows.Text(row, "baseAsset");
            var spec = new InstrumentSpec
            {
                Exchange = BinanceVenue.Name,
                InstId = symbol,
                CtVal = "1",
                CtMult = "1",
                CtType = "linear",
                CtValCcy = baseAsset,
                BaseCcy = baseAsset.Length > 0 ? baseAsset : null,
                State = InstrumentRows.Text(row, "status"),
            };
            InstrumentRows.Add(spec, valid, rejected);
        }

        return (valid, rejected);
    }
}
