using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Vault.Verify;

/// <summary>
/// {dir}/truth.json (<see cref="TruthLayout"/>): the truth files hold every trade with StartTs &lt;= ts &lt;= EndTs
/// (Unix ms). StartTs and EndTs are required JSON numbers; the rest describes the run that wrote them.
/// </summary>
public sealed record TruthRange
{
    /// <summary>camelCase, indented; numbers must be JSON numbers (a quoted "123" is not a bound).</summary>
    public static readonly JsonSerializerOptions JsonOptions =
        new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = JsonNumberHandling.Strict };

    public required long StartTs { get; init; }

    public required long EndTs { get; init; }

    public ulong Seed { get; init; }

    public double Rate { get; init; }

    public IReadOnlyList<string> Instruments { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }
}
