using System.Text.RegularExpressions;

namespace Pipeline.Vault.Layout;

/// <summary>
/// Validation of every name that becomes part of a vault path. An instId comes from exchanges and
/// users, so it must never carry a separator or "..".
/// </summary>
/// <remarks>
/// The patterns end in <c>\z</c>, not <c>$</c>: in .NET <c>$</c> also matches before a final "\n", so
/// "BTCUSDT\n" would pass and put a newline into a path or a log line.
/// </remarks>
public static partial class VaultNames
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExchangePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsInstId(string? value) =>
        value is not null && InstIdPattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    public static bool IsExchange(string? value) => value is not null && ExchangePattern().IsMatch(value);

    public static bool IsName(string? value) => value is not null && NamePattern().IsMatch(value);

    public static string InstId(string? value) =>
        IsInstId(value)
            ? value!
            : throw new VaultPathException(
                $"invalid instId '{value}': it must match ^[A-Z0-9][A-Z0-9._-]{{0,63}}$ (upper case, no '/', no '..')");

    public static string Exchange(string? value) =>
        IsExchange(value)
            ? value!
            : throw new VaultPathException($"invalid exchange '{value}': it must match ^[a-z][a-z0-9_-]{{0,31}}$ (e.g. okx, binance)");

    /// <summary>Calculator and strategy names.</summary>
    public static string Name(string? value) =>
        IsName(value)
            ? value!
            : throw new VaultPathException($"invalid name '{value}': it must match ^[a-z0-9][a-z0-9_-]{{0,63}}$");
}
