using System.Text.RegularExpressions;

namespace Pipeline.Exporter.Rest;

/// <summary>
/// Endpoint URLs may carry credentials (<c>https://user:secret@host</c>, <c>?apiKey=...</c>). Wherever one is
/// logged, stored (meta/) or put in an error message, the user info and secret-like query values become
/// <c>***</c>. The URL used to connect is never changed.
/// </summary>
public static partial class EndpointRedaction
{
    public const string Mask = "***";

    public static string Redact(Uri? url) => url is null ? string.Empty : Redact(url.OriginalString);

    /// <summary>Redacts every URL inside a text (a log property, an exception message).</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains("://", StringComparison.Ordinal))
        {
            return text ?? string.Empty;
        }

        text = UserInfo().Replace(text, "${scheme}" + Mask + "@");
        return SecretQuery().Replace(text, "${name}" + Mask);
    }

    /// <summary>scheme://userinfo@ (userinfo: anything up to '@' without '/', whitespace or another '@').</summary>
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s?#]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<name>[?&;](?:[A-Za-z0-9_.-]*(?:key|secret|token|signature|sig|password|passwd|pwd|passphrase|auth|credential)[A-Za-z0-9_.-]*)=)[^&#\s]*",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();
}
