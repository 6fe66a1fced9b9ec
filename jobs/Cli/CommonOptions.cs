using System.CommandLine;
using Pipeline.Exporter.Venues;
using Pipeline.Vault.Layout;
using Serilog.Events;

namespace Pipeline.Jobs.Cli;

/// <summary>Options every command understands (declared once, recursive on the root).</summary>
public static class CommonOptions
{
    public static Option<string?> Vault { get; } = new("--vault")
    {
        Description = "Vault directory (default: $PIPELINE_VAULT, else vault: in ./pipeline.yaml, else ./vault-data; commands that only read use the demo's ./vault-demo while ./vault-data holds no data)",
        Recursive = true,
    };

    public static Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "verbose|debug|information|warning|error (default: information, or $PIPELINE_LOG_LEVEL)",
        Recursive = true,
    };

    public static LogEventLevel Level(ParseResult parse)
    {
        var text = parse.GetValue(LogLevel) ?? Environment.GetEnvironmentVariable("PIPELINE_LOG_LEVEL");
        if (string.IsNullOrWhiteSpace(text))
        {
            return LogEventLevel.Information;
        }

        return text.ToLowerInvariant() switch
        {
            "verbose" or "trace" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "information" or "info" => LogEventLevel.Information,
            "warning" or "warn" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            "fatal" => LogEventLevel.Fatal,
            _ => throw new UsageException($"--log-level: unknown level '{text}' (verbose|debug|information|warning|error)"),
        };
    }

    /// <summary>A UTC day given as yyyy-MM-dd for <paramref name="option"/>; anything else is a usage error.</summary>
    public static DateOnly Day(string? text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"{option}: '{text}' is not a day (yyyy-MM-dd)");

    /// <summary>The exchanges a command can select.</summary>
    public static IReadOnlyList<string> Exchanges => VenueRegistry.Names;

    /// <summary>
    /// An --exchange selection: null (every exchange) or a supported exchange. Every command validates
    /// --exchange here, so a value such as "../x" is the same one-line usage error (exit 2) everywhere
    /// and never reaches a path or a filter that silently matches nothing.
    /// </summary>
    public static string? ExchangeFilter(string? text, string option = "--exchange")
    {
        if (text is null)
        {
            return null;
        }

        var value = text.Trim().ToLowerInvariant();
        return Exchanges.Contains(value)
            ? value
            : throw new UsageException($"{option}: '{Shown(text)}' is not {string.Join(" or ", Exchanges)}");
    }

    /// <summary>
    /// An --inst selection ("A,B, C"; empty means every instrument): each id must be a valid vault name
    /// (<see cref="VaultNames.IsInstId"/>), or the whole command is a one-line usage error (exit 2).
    /// </summary>
    public static IReadOnlyList<string> InstIds(string? text, string option = "--inst")
    {
        var ids = List(text);
        foreach (var id in ids)
        {
            if (!VaultNames.IsInstId(id))
            {
                throw new UsageException(
                    $"{option}: '{Shown(id)}' is not an instrument id (upper case letters, digits, '.', '_', '-', e.g. BTC-USDT-SWAP or BTCUSDT; no '/', no '..')");
            }
        }

        return ids;
    }

    /// <summary>A user's value inside a one-line message: control characters (a newline, an escape) shown escaped.</summary>
    public static string Shown(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>Splits "A,B, C" into trimmed non-empty items.</summary>
    public static IReadOnlyList<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
