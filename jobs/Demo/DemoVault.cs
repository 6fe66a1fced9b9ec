using Pipeline.Jobs.Cli;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Demo;

/// <summary>The demo's vault: a fresh directory, or one a previous demo made (recognised by its marker file).</summary>
public static class DemoVault
{
    public const string MarkerFile = ".pipeline-demo";

    /// <summary>Whether <paramref name="root"/> is a vault the demo made (its marker file is there).</summary>
    public static bool IsDemo(string root) => File.Exists(Path.Combine(root, MarkerFile));

    public static VaultLayout Prepare(string root)
    {
        var full = Path.GetFullPath(root);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            if (!File.Exists(Path.Combine(full, MarkerFile)))
            {
                throw new UsageException($"{full} is not empty and was not made by a demo; pass --vault with an empty or new directory");
            }

            Directory.Delete(full, recursive: true);
        }

        Directory.CreateDirectory(full);
        File.WriteAllText(Path.Combine(full, MarkerFile), "made by `pipeline demo`; the next demo run replaces this vault\n");
        return new VaultLayout(full);
    }
}
