using System.Text;

namespace Pipeline.Testing.Secrets;

/// <summary>
/// Looks for key material where it must never be: every file under some directories (vault, state, logs; binary files
/// too, byte for byte) and captured texts (stdout, stderr, command output). Each secret is searched for as written, as
/// the hex of its bytes (lower and upper case), as base64 of its bytes (standard and URL-safe, at each of the three
/// alignments it can have inside a longer base64 text), and, when the secret is itself hex or base64, as the other
/// encoding of the bytes it stands for. A finding names the secret by its label and the form, never by its value.
/// </summary>
public static class SecretScan
{
    /// <summary>The shortest secret worth scanning for: shorter ones match by chance.</summary>
    public const int MinLength = 8;

    /// <summary>
    /// Every place a secret appears: "{file or text name}: {label} as {form}". <paramref name="secrets"/> maps a label
    /// (e.g. "binance secret") to the secret; <paramref name="texts"/> maps a name (e.g. "stdout of run 1") to captured text.
    /// </summary>
    public static IReadOnlyList<string> Find(IReadOnlyDictionary<string, string> secrets, IEnumerable<string> directories,
        IReadOnlyDictionary<string, string>? texts = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(directories);
        var patterns = secrets.SelectMany(s => Forms(s.Key, s.Value)).ToList();
        var findings = new List<string>();
        foreach (var dir in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(file);
                }
                catch (FileNotFoundException)
                {
                    continue; // removed while we listed (a temp file renamed into place)
                }

                findings.AddRange(Matches(file, bytes, patterns));
            }
        }

        foreach (var (name, text) in texts ?? new Dictionary<string, string>())
        {
            findings.AddRange(Matches(name, Encoding.UTF8.GetBytes(text), patterns));
        }

        return findings;
    }

    /// <summary>How many files <see cref="Find"/> would read under <paramref name="directories"/> (a scan of nothing proves nothing).</summary>
    public static int CountFiles(IEnumerable<string> directories) =>
        directories.Where(Directory.Exists).Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count());

    /// <summary>The forms one secret is searched for: (label and form, bytes to find).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Forms(string label, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinLength)
        {
            throw new ArgumentException($"{label}: a secret shorter than {MinLength} characters would match by chance", nameof(secret));
        }

        var forms = new List<(string, byte[])>();
        void Add(string form, string text)
        {
            if (text.Length >= MinLength && !forms.Any(f => f.Item2.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text))))
            {
                forms.Add(($"{label} as {form}", Encoding.UTF8.GetBytes(text)));
            }
        }

        var raw = Encoding.UTF8.GetBytes(secret);
        Add("text", secret);
        Add("hex", Convert.ToHexStringLower(raw));
        Add("HEX", Convert.ToHexString(raw));
        foreach (var (core, k) in Base64Cores(raw))
        {
            Add($"base64 (offset {k})", core);
            Add($"base64url (offset {k})", core.Replace('+', '-').Replace('/', '_'));
        }

        if (secret.Length % 2 == 0 && secret.All(Uri.IsHexDigit))
        {
            var decoded = Convert.FromHexString(secret);
            foreach (var (core, k) in Base64Cores(decoded))
            {
                Add($"base64 of the hex-decoded bytes (offset {k})", core);
            }
        }

        var buffer = new byte[secret.Length];
        if (Convert.TryFromBase64String(secret, buffer, out var n) && n >= MinLength / 2)
        {
            Add("hex of the base64-decoded bytes", Convert.ToHexStringLower(buffer.AsSpan(0, n)));
            Add("HEX of the base64-decoded bytes", Convert.ToHexString(buffer.AsSpan(0, n)));
        }

        return forms;
    }

    /// <summary>
    /// The part of base64 that is the same whatever surrounds the bytes, for each alignment k (the bytes start k bytes
    /// into a 3-byte group): the groups made only of these bytes.
    /// </summary>
    private static IEnumerable<(string Core, int Offset)> Base64Cores(byte[] bytes)
    {
        for (var k = 0; k < 3; k++)
        {
            var lead = (3 - k) % 3; // bytes of the secret that complete the first, shared group
            if (bytes.Length - lead < 3)
            {
                continue;
            }

            var whole = (bytes.Length - lead) / 3 * 3;
            yield return (Convert.ToBase64String(bytes, lead, whole), k);
        }
    }

    private static IEnumerable<string> Matches(string where, byte[] haystack, List<(string Name, byte[] Bytes)> patterns) =>
        patterns.Where(p => haystack.AsSpan().IndexOf(p.Bytes) >= 0).Select(p => $"{where}: {p.Name}");
}
