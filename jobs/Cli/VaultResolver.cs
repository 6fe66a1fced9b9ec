using Pipeline.Jobs.Config;
using Pipeline.Jobs.Demo;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Cli;

/// <summary>
/// Which vault a command uses when --vault is not given (jobs/README.md, "Which vault a command uses"):
/// --vault, else $PIPELINE_VAULT, else <c>vault:</c> in ./pipeline.yaml, else ./vault-data when it holds data;
/// else, for commands that only read or derive (<see cref="VaultUse.Examine"/>), ./vault-demo when the demo
/// made it; else ./vault-data. Real data (<see cref="VaultUse.Record"/>) never goes into a demo's vault, and
/// the demo never writes into a vault it did not make (<see cref="DemoVault"/>), so the two never mix.
/// </summary>
public static class VaultResolver
{
    public const string DemoDirectory = "vault-demo";

    /// <summary>Resolves for this process: its environment and working directory.</summary>
    public static VaultChoice Resolve(string? option, VaultUse use) =>
        Resolve(option, Environment.GetEnvironmentVariable(VaultLayout.EnvironmentVariable), Directory.GetCurrentDirectory(), use);

    public static VaultChoice Resolve(string? option, string? environment, string workingDirectory, VaultUse use)
    {
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var choice = Choose(option, environment, workingDirectory, use);
        if (use == VaultUse.Record && DemoVault.IsDemo(choice.Layout.Root))
        {
            throw new UsageException(
                $"{choice.Layout.Root} is the demo's vault ({DemoVault.MarkerFile}); real data never goes there: pass --vault with another directory");
        }

        return choice;
    }

    /// <summary>Whether <paramref name="root"/> holds anything but logs (a read command's log file alone is not data).</summary>
    public static bool HoldsData(string root) =>
        Directory.Exists(root)
        && Directory.EnumerateFileSystemEntries(root).Any(e => !string.Equals(Path.GetFileName(e), "logs", StringComparison.Ordinal));

    private static VaultChoice Choose(string? option, string? environment, string workingDirectory, VaultUse use)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new VaultChoice(Layout(option, workingDirectory, "--vault"), true, "--vault");
        }

        if (!string.IsNullOrWhiteSpace(environment))
        {
            return new VaultChoice(Layout(environment, workingDirectory, "$" + VaultLayout.EnvironmentVariable), false,
                "from $" + VaultLayout.EnvironmentVariable);
        }

        if (PipelineConfigLoader.ResolveFile(null, workingDirectory) is { } file
            && YamlConfigReader.Read(file).TryGetValue(ConfigKeys.Vault, out var configured) && configured.Scalar is { Length: > 0 } text)
        {
            return new VaultChoice(Layout(text, workingDirectory, $"vault: in {file}"), false, $"from vault: in {file}");
        }

        var data = Path.Combine(workingDirectory, VaultLayout.DefaultDirectory);
        var demo = Path.Combine(workingDirectory, DemoDirectory);
        var demoExists = DemoVault.IsDemo(demo);
        if (HoldsData(data))
        {
            var note = use == VaultUse.Examine && demoExists ? $"; the demo's is ./{DemoDirectory}: pass --vault {DemoDirectory}" : "";
            return new VaultChoice(new VaultLayout(data), false, "the default" + note);
        }

        if (use == VaultUse.Examine && demoExists)
        {
            return new VaultChoice(new VaultLayout(demo), false,
                $"the demo's; ./{VaultLayout.DefaultDirectory} holds no data yet: pass --vault DIR or record real data with export");
        }

        return new VaultChoice(new VaultLayout(data), false, "the default");
    }

    private static VaultLayout Layout(string path, string workingDirectory, string source)
    {
        try
        {
            return new VaultLayout(Path.GetFullPath(path, workingDirectory));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(source + ": " + ex.Message, ex);
        }
    }
}
