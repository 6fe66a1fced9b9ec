using System.Collections;

namespace Pipeline.Jobs.Config;

/// <summary>
/// The PIPELINE_* environment variables that override the file: PIPELINE_&lt;SECTION&gt;__&lt;KEY&gt;
/// (double underscore between levels, case-insensitive), lists comma-separated.
/// </summary>
public static class ConfigEnvironment
{
    public const string Prefix = "PIPELINE_";

    /// <summary>The current process environment (PIPELINE_* only).</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
