using System.Globalization;

namespace Pipeline.Exporter.Trading;

/// <summary>
/// Loads a venue's API credentials from the environment (<c>PIPELINE_BINANCE_API_KEY</c>/<c>_SECRET</c>,
/// <c>PIPELINE_OKX_API_KEY</c>/<c>_SECRET</c>/<c>_PASSPHRASE</c>) or, when none of the venue's variables is set, from an
/// owner-only file (<c>NAME=value</c> lines with the same names; path given, else <c>PIPELINE_CREDENTIALS_FILE</c>).
/// Never from the command line. Every failure is a <see cref="CredentialsException"/> naming what is missing.
/// </summary>
public static class CredentialLoader
{
    public const string FileVariable = "PIPELINE_CREDENTIALS_FILE";

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static string KeyVariable(string venue) => Variable(venue, "API_KEY");

    public static string SecretVariable(string venue) => Variable(venue, "API_SECRET");

    public static string PassphraseVariable(string venue) => Variable(venue, "API_PASSPHRASE");

    /// <summary>The process environment.</summary>
    public static ApiCredentials Load(string venue, string? file = null) => Load(venue, Environment.GetEnvironmentVariable, file);

    /// <summary>
    /// From <paramref name="environment"/> when any of the venue's variables is set there (then all must be); else from
    /// <paramref name="file"/> (or the file named by <see cref="FileVariable"/>).
    /// </summary>
    public static ApiCredentials Load(string venue, Func<string, string?> environment, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(environment);
        var names = Names(venue);
        var fromEnvironment = names.ToDictionary(n => n, n => environment(n) is { Length: > 0 } v ? v : null, StringComparer.Ordinal);
        if (fromEnvironment.Values.Any(v => v is not null))
        {
            return Build(venue, fromEnvironment, "environment", "set");
        }

        var path = file is { Length: > 0 } ? file : environment(FileVariable);
        if (string.IsNullOrEmpty(path))
        {
            throw new CredentialsException(
                $"no {venue} API credentials: set {string.Join(" and ", names)}, or name an owner-only credentials file in {FileVariable}");
        }

        return Build(venue, ReadFile(path, names), $"file {path}", "missing");
    }

    /// <summary>The <c>NAME=value</c> lines of an owner-only file; lines of other venues are kept but unused.</summary>
    internal static Dictionary<string, string?> ReadFile(string path, IReadOnlyList<string> names)
    {
        if (!File.Exists(path))
        {
            throw new CredentialsException($"credentials file {path} does not exist");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new CredentialsException(string.Create(CultureInfo.InvariantCulture,
                    $"credentials file {path} is accessible by group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); run: chmod 600 {path}"));
            }
        }

        var values = names.ToDictionary(n => n, _ => (string?)null, StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // The message names the line and the name, never the value (it may be the secret).
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CredentialsException($"credentials file {path} line {number}: expected NAME=value");
            }

            var name = line[..equals].Trim();
            if (name.StartsWith("export ", StringComparison.Ordinal))
            {
                name = name["export ".Length..].Trim();
            }

            if (!name.StartsWith("PIPELINE_", StringComparison.Ordinal) || !name.Contains("_API_", StringComparison.Ordinal))
            {
                // A value pasted before an '=' (base64 padding) would be the "name": shown only when it looks like one (letters and '_').
                var shown = name.Length <= 64 && name.All(c => char.IsAsciiLetter(c) || c == '_') ? $"'{name}'" : "(not shown: it may be a value)";
                throw new CredentialsException($"credentials file {path} line {number}: unknown name {shown} (expected PIPELINE_<VENUE>_API_KEY/_SECRET/_PASSPHRASE)");
            }

            if (values.ContainsKey(name))
            {
                values[name] = Unquote(line[(equals + 1)..].Trim());
            }
        }

        return values;
    }

    private static ApiCredentials Build(string venue, Dictionary<string, string?> values, string source, string fix)
    {
        var missing = values.Where(v => string.IsNullOrWhiteSpace(v.Value)).Select(v => v.Key).ToList();
        if (missing.Count > 0)
        {
            throw new CredentialsException($"{venue} API credentials from {source} are incomplete: {fix} {string.Join(" and ", missing)}");
        }

        return ApiCredentials.Create(venue, values[KeyVariable(venue)]!, values[SecretVariable(venue)]!,
            venue == TradingVenues.Okx ? values[PassphraseVariable(venue)] : null, source);
    }

    private static string[] Names(string venue) => venue switch
    {
        TradingVenues.Binance => [KeyVariable(venue), SecretVariable(venue)],
        TradingVenues.Okx => [KeyVariable(venue), SecretVariable(venue), PassphraseVariable(venue)],
        _ => throw new CredentialsException($"no API credentials are defined for venue '{venue}' (binance, okx)"),
    };

    private static string Variable(string venue, string suffix) =>
        $"PIPELINE_{venue.ToUpperInvariant()}_{suffix}";

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
