using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Cli;

/// <summary>The vault a command uses and why: <see cref="Explicit"/> when --vault named it.</summary>
/// <param name="Why">Where it came from, for the one line on stderr ("from $PIPELINE_VAULT", "the demo's: ...").</param>
public sealed record VaultChoice(VaultLayout Layout, bool Explicit, string Why)
{
    /// <summary>"vault: ./vault-demo (the demo's; ...)": the root relative to <paramref name="workingDirectory"/> when under it.</summary>
    public string Describe(string workingDirectory) => $"vault: {Shown(Layout.Root, workingDirectory)} ({Why})";

    public static string Shown(string root, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(root);
        var relative = Path.GetRelativePath(workingDirectory, root);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? root : "./" + relative;
    }
}
