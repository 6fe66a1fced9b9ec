namespace Pipeline.Exporter.Trading;

/// <summary>
/// The process-wide list of credential values (keys, secrets, passphrases) and the masking of any text that contains
/// one. <see cref="ApiCredentials"/> registers its values; the log pipeline (jobs/Logging) masks every event through
/// <see cref="Redact(string?)"/>, so a value that reaches a message by mistake is written as <c>***</c>.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Shorter values are not registered: masking e.g. "1234" everywhere would corrupt numbers in every log line.</summary>
    public const int MinimumLength = 6;

    private static readonly Lock Gate = new();
    private static string[] s_secrets = [];

    /// <summary>True once any value is registered (the log pipeline's fast path).</summary>
    public static bool HasSecrets => Volatile.Read(ref s_secrets).Length > 0;

    public static void Register(string? secret)
    {
        if (secret is null || secret.Trim() is not { Length: >= MinimumLength } value)
        {
            return;
        }

        lock (Gate)
        {
            if (Array.IndexOf(s_secrets, value) >= 0)
            {
                return;
            }

            // Longest first, so a value that contains another is masked whole.
            var next = s_secrets.Append(value).OrderByDescending(s => s.Length).ToArray();
            Volatile.Write(ref s_secrets, next);
        }
    }

    /// <summary>Whether <paramref name="text"/> contains a registered value.</summary>
    public static bool ContainsSecret(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var secret in Volatile.Read(ref s_secrets))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="text"/> with every registered value replaced by <see cref="Mask"/>; the same instance when none occurs.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in Volatile.Read(ref s_secrets))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
