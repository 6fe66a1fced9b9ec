using Pipeline.Jobs.Cli;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// <c>--sweep name=v1,v2</c> options as a grid: every combination of the values, each applied to the
/// strategy file's <c>parameters</c> and parsed by the registry, so a bad name or value fails exactly
/// like a bad file (naming the key).
/// </summary>
public static class SweepGrid
{
    /// <summary>The combinations (one empty combination without sweeps), in the order given.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(IReadOnlyList<string> sweeps)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        IReadOnlyList<IReadOnlyDictionary<string, string>> grid = [new Dictionary<string, string>(StringComparer.Ordinal)];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sweep in sweeps)
        {
            var at = sweep.IndexOf('=', StringComparison.Ordinal);
            var name = at > 0 ? sweep[..at].Trim() : "";
            var values = at > 0 ? CommonOptions.List(sweep[(at + 1)..]) : [];
            if (name.Length == 0 || values.Count == 0)
            {
                throw new UsageException($"--sweep '{sweep}': expected name=v1,v2,... (a key under parameters: in the strategy file, e.g. bandMultiplier=1.5,2)");
            }

            if (!names.Add(name))
            {
                throw new UsageException($"--sweep: '{name}' is given twice");
            }

            grid = [.. grid.SelectMany(combo => values.Select(v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(combo, StringComparer.Ordinal) { [name] = v }))];
        }

        if (grid.Count > 1000)
        {
            throw new UsageException($"--sweep makes {grid.Count} combinations; at most 1000");
        }

        return grid;
    }

    /// <summary>The strategy YAML with <paramref name="overrides"/> set under <c>parameters</c>.</summary>
    public static string Apply(string yaml, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Count == 0)
        {
            return yaml;
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return yaml; // the registry reports the shape error
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("parameters"), out var node) || node is not YamlMappingNode parameters)
        {
            parameters = [];
            root.Children[new YamlScalarNode("parameters")] = parameters;
        }

        foreach (var (name, value) in overrides)
        {
            parameters.Children[new YamlScalarNode(name)] = new YamlScalarNode(value);
        }

        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>"bandMultiplier=1.5 takeProfitPct=0.4", or "" for no overrides.</summary>
    public static string Label(IReadOnlyDictionary<string, string> overrides) =>
        string.Join(" ", (overrides ?? throw new ArgumentNullException(nameof(overrides))).Select(o => $"{o.Key}={o.Value}"));
}
