using System.Text.Json;

namespace Pipeline.Exporter.Simulator.Truth;

/// <summary>DIR/truth.json: the truth files hold every trade with StartTs &lt;= ts &lt;= EndTs (Unix ms).</summary>
public sealed record TruthRange
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public long StartTs { get; init; }

    public long EndTs { get; init; }

    public ulong Seed { get; init; }

    public double Rate { get; init; }

    public IReadOnlyList<string> Instruments { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }

    public static TruthRange Read(string dir) =>
        JsonSerializer.Deserialize<TruthRange>(File.ReadAllBytes(TruthWriter.RangePath(dir)), JsonOptions)
        ?? throw new InvalidDataException("empty truth.json");
}
