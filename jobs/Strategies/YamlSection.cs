using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Jobs.Strategies;

/// <summary>
/// One YAML mapping of a strategy file with typed, validated getters. Every error names the file,
/// the dotted key and the line; keys nobody asked for are rejected by <see cref="RejectUnknown"/>
/// so a typo ("adxMx") is an error instead of a silently ignored setting.
/// </summary>
public sealed class YamlSection
{
    private readonly Dictionary<string, YamlNode> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public YamlSection(string file, string prefix, YamlMappingNode? node)
    {
        File = file;
        Prefix = prefix;
        if (node is null)
        {
            return;
        }

        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new StrategyConfigException(file, prefix, $"keys must be plain names (line {key.Start.Line})");
            }

            if (!_entries.TryAdd(name, value))
            {
                throw new StrategyConfigException(file, KeyOf(name), $"appears twice (line {key.Start.Line})");
            }
        }
    }

    public string File { get; }

    public string Prefix { get; }

    public string KeyOf(string key) => Prefix.Length == 0 ? key : Prefix + "." + key;

    public bool Has(string key) => _entries.ContainsKey(key);

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new StrategyConfigException(File, KeyOf(key), "is required");

    public string? OptionalString(string key)
    {
        if (!TryScalar(key, out var value, out _))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(value)
            ? throw new StrategyConfigException(File, KeyOf(key), "must not be empty")
            : value.Trim();
    }

    /// <summary>A plain decimal ("1.5", "20"); <paramref name="rule"/> describes the valid range.</summary>
    public decimal Number(string key, decimal fallback, Func<decimal, bool> isValid, string rule)
    {
        if (!TryScalar(key, out var text, out var line))
        {
            return fallback;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value))
        {
            throw Error(key, $"'{text}' is not a number (line {line})");
        }

        return isValid(value) ? value : throw Error(key, $"{text} is out of range: {rule} (line {line})");
    }

    public int WholeNumber(string key, int fallback, Func<int, bool> isValid, string rule)
    {
        if (!TryScalar(key, out var text, out var line))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(key, $"'{text}' is not a whole number (line {line})");
        }

        return isValid(value) ? value : throw Error(key, $"{text} is out of range: {rule} (line {line})");
    }

    public bool Flag(string key, bool fallback)
    {
        if (!TryScalar(key, out var text, out var line))
        {
            return fallback;
        }

        return text.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw Error(key, $"'{text}' is not true or false (line {line})"),
        };
    }

    /// <summary>A duration written "90s", "10m", "1h" (or plain seconds).</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, Func<TimeSpan, bool> isValid, string rule)
    {
        if (!TryScalar(key, out var text, out var line))
        {
            return fallback;
        }

        var unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var digits = unit == 0 ? text : text[..^1];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            throw Error(key, $"'{text}' is not a duration such as 60s, 10m or 1h (line {line})");
        }

        var value = TimeSpan.FromSeconds((long)amount * Math.Max(unit, 1));
        return isValid(value) ? value : throw Error(key, $"{text} is out of range: {rule} (line {line})");
    }

    /// <summary>One of <paramref name="allowed"/> (case-sensitive, as documented).</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        if (!TryScalar(key, out var text, out var line))
        {
            return fallback;
        }

        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw Error(key, $"'{text}' is not one of {string.Join(", ", allowed)} (line {line})");
    }

    /// <summary>A YAML sequence of plain values (a single value counts as a one-item list); empty when the key is absent.</summary>
    public IReadOnlyList<(string Value, long Line)> StringList(string key)
    {
        _used.Add(key);
        if (!_entries.TryGetValue(key, out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (node is YamlScalarNode one)
        {
            return [(one.Value!.Trim(), node.Start.Line)];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Error(key, $"must be a list of values (line {node.Start.Line})");
        }

        var items = new List<(string, long)>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
            {
                throw Error(key, $"every item must be a single non-empty value (line {item.Start.Line})");
            }

            items.Add((text.Trim(), item.Start.Line));
        }

        return items;
    }

    /// <summary>The dotted key's error (for getters built on top of this section).</summary>
    public StrategyConfigException Problem(string key, string problem) => Error(key, problem);

    /// <summary>A nested mapping (an empty section when the key is absent).</summary>
    public YamlSection Section(string key)
    {
        _used.Add(key);
        if (!_entries.TryGetValue(key, out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new YamlSection(File, KeyOf(key), null);
        }

        return node is YamlMappingNode mapping
            ? new YamlSection(File, KeyOf(key), mapping)
            : throw Error(key, $"must be a mapping of keys to values (line {node.Start.Line})");
    }

    /// <summary>Throws for the first key that no getter asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var key in _entries.Keys)
        {
            if (!_used.Contains(key))
            {
                throw Error(key, $"unknown key (line {_entries[key].Start.Line}); check the spelling against the strategy's file in config/strategies/ (vwap_mean_reversion.yaml, micro_mr.yaml)");
            }
        }
    }

    private bool TryScalar(string key, out string value, out long line)
    {
        _used.Add(key);
        value = string.Empty;
        line = 0;
        if (!_entries.TryGetValue(key, out var node))
        {
            return false;
        }

        line = node.Start.Line;
        if (node is not YamlScalarNode scalar)
        {
            throw Error(key, $"must be a single value (line {line})");
        }

        if (scalar.Value is null or "" or "~" or "null")
        {
            return false; // an explicit empty value means "use the default"
        }

        value = scalar.Value.Trim();
        return true;
    }

    private StrategyConfigException Error(string key, string problem) => new(File, KeyOf(key), problem);
}
