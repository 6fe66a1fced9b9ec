using System.Text.Json;

namespace Pipeline.Exporter.Instruments;

/// <summary>
/// What every venue's instrument-list parser shares: rows whose contract fields fail validation are
/// returned as rejected with the field named, never silently dropped; fields are read as text.
/// </summary>
public static class InstrumentRows
{
    public static void Add(InstrumentSpec spec, List<InstrumentSpec> valid, List<RejectedInstrument> rejected)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(rejected);
        if (spec.Validate() is { } error)
        {
            rejected.Add(new RejectedInstrument(spec.InstId, error));
        }
        else
        {
            valid.Add(spec);
        }
    }

    /// <summary>A string or number field as text; empty when absent or of another kind.</summary>
    public static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : string.Empty;
}
