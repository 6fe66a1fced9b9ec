using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Micro;

/// <summary>What an exporter records: trades and/or microstructure kinds (<c>--data trades,quotes,book,liquidations,derivatives</c>).</summary>
public sealed record ExportData(bool Trades, IReadOnlySet<MicroKind> Micro)
{
    public const string TradesName = "trades";

    /// <summary>Trades only (the default).</summary>
    public static ExportData Default { get; } = new(true, new HashSet<MicroKind>());

    /// <summary>Every name a data list may hold, in the documented order.</summary>
    public static IReadOnlyList<string> Names { get; } = [TradesName, .. MicroKinds.All.Select(MicroKinds.Name)];

    /// <summary>Parses names (case-sensitive, duplicates allowed); throws ArgumentException naming an unknown one.</summary>
    public static ExportData Parse(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var trades = false;
        var micro = new HashSet<MicroKind>();
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name == TradesName)
            {
                trades = true;
            }
            else if (MicroKinds.Parse(name) is { } kind)
            {
                micro.Add(kind);
            }
            else
            {
                throw new ArgumentException($"unknown data kind '{name}' (expected a comma-separated list of {string.Join(',', Names)})");
            }
        }

        if (!trades && micro.Count == 0)
        {
            throw new ArgumentException($"no data kind given (expected a comma-separated list of {string.Join(',', Names)})");
        }

        return new ExportData(trades, micro);
    }

    /// <summary>Parses a comma-separated list ("trades,book").</summary>
    public static ExportData Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    public override string ToString() =>
        string.Join(',', (Trades ? [TradesName] : Array.Empty<string>()).Concat(MicroKinds.All.Where(Micro.Contains).Select(MicroKinds.Name)));
}
