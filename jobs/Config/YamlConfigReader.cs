using Pipeline.Jobs.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Jobs.Config;

/// <summary>
/// Reads pipeline.yaml into dotted keys with their line numbers. Strict: an unknown key, a list
/// where a value belongs (or the reverse) or a YAML syntax error is a usage error naming the spot.
/// </summary>
internal static class YamlConfigReader
{
    public static Dictionary<string, ConfigValue> Read(string file)
    {
        var name = file; // full path: a service log must say which file
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (IOException ex)
        {
            throw new UsageException($"config file {file}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsageException($"config file {file}: {ex.Message}", ex);
        }
        catch (YamlException ex)
        {
            throw new UsageException($"{name}:{ex.Start.Line}:{ex.Start.Column}: invalid YAML: {Innermost(ex)}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            return values;
        }

        if (stream.Documents.Count > 1)
        {
            throw new UsageException($"{name}: expected one YAML document, found {stream.Documents.Count}");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" })
        {
            return values;
        }

        if (root is not YamlMappingNode mapping)
        {
            throw new UsageException($"{name}:{root.Start.Line}: the configuration must be a mapping of keys (vault:, exchanges:, schedule:, ...)");
        }

        Walk(name, "", mapping, values);
        return values;
    }

    private static void Walk(string name, string section, YamlMappingNode mapping, Dictionary<string, ConfigValue> values)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var where = $"{name}:{keyNode.Start.Line}";
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } keyText })
            {
                throw new UsageException($"{where}: a key must be a plain name");
            }

            var path = section.Length == 0 ? keyText : section + "." + keyText;
            if (ConfigKeys.All.ContainsKey(path))
            {
                values[path] = Leaf(where, path, valueNode);
            }
            else if (ConfigKeys.IsSection(path))
            {
                switch (valueNode)
                {
                    case YamlMappingNode child:
                        Walk(name, path, child, values);
                        break;
                    case YamlScalarNode { Value: null or "" or "~" }:
                        break; // an empty section: nothing set
                    default:
                        throw new UsageException($"{where}: {path}: expected a section with keys ({string.Join(", ", ConfigKeys.Children(path))})");
                }
            }
            else
            {
                throw new UsageException(
                    $"{where}: unknown key '{path}' (known under {(section.Length == 0 ? "the top level" : section)}: {string.Join(", ", ConfigKeys.Children(section))})");
            }
        }
    }

    private static ConfigValue Leaf(string where, string path, YamlNode node)
    {
        if (ConfigKeys.IsList(path))
        {
            switch (node)
            {
                case YamlSequenceNode sequence:
                    var items = new List<string>();
                    foreach (var item in sequence.Children)
                    {
                        if (item is not YamlScalarNode { Value: { Length: > 0 } text })
                        {
                            throw new UsageException($"{FileOf(where)}:{item.Start.Line}: {path}: every item must be a plain value");
                        }

                        items.Add(text.Trim());
                    }

                    return new ConfigValue(null, items, where);
                case YamlScalarNode { Value: null or "" or "~" }:
                    return new ConfigValue(null, [], where);
                default:
                    throw new UsageException($"{where}: {path}: expected a list (- item per line, or [a, b])");
            }
        }

        return node switch
        {
            YamlScalarNode { Value: { Length: > 0 } text } when text != "~" => new ConfigValue(text.Trim(), null, where),
            YamlScalarNode => throw new UsageException($"{where}: {path}: needs a value"),
            _ => throw new UsageException($"{where}: {path}: expected a single value, not a list or section"),
        };
    }

    private static string FileOf(string where) => where[..where.LastIndexOf(':')];

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }
}
