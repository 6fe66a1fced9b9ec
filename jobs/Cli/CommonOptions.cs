using System.CommandLine;
using Pipeline.Vault.Layout;
using Serilog.Events;

namespace Pipeline.Jobs.Cli;

/// <summary>Options every command understands (declared once, recursive on the root).</summary>
public static class CommonOptions
{
    public static Option<string?> Vault { get; } = new("--vault")
    {
        Description = "Vault directory (default: $PIPELINE_VAULT, else ./vault-data)",
        Recursive = true,
    };

    public static Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "verbose|debug|information|warning|error (default: information, or $PIPELINE_LOG_LEVEL)",
        Recursive = true,
    };

    public static VaultLayout VaultLayout(ParseResult parse)
    {
        try
        {
            return Pipeline.Vault.Layout.VaultLayout.Resolve(parse.GetValue(Vault));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--vault: " + ex.Message, ex);
        }
    }

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

    /// <summary>Splits "A,B, C" into trimmed non-empty items.</summary>
    public static IReadOnlyList<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
