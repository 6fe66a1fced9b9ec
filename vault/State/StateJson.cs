using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Vault.State;

/// <summary>JSON settings shared by state files: camelCase, readable, decimals as exact JSON numbers.</summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
