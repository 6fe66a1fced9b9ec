using System.Text.Json;
using Pipeline.Jobs.Tests.Strategies;

namespace Pipeline.Jobs.Tests.Cli;

/// <summary>
/// run.sh runs the pipeline in the caller's directory, so relative --vault/--config/--strategy paths are the
/// caller's (as the README says), while set-up and build happen in the checkout; once built it runs without
/// building until a source changes, and <c>install</c> writes a launcher that runs the built program directly.
/// </summary>
public sealed class RunScriptTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [NeedsProgramFact("bash")]
    public async Task RunSh_RelativeVaultFromAnotherDirectory_ResolvedAgainstCaller()
    {
        var checkout = PrepareCheckout();
        var caller = _dir.File("caller");
        var raw = Path.Combine(caller, "my-vault", "raw", "binance", "trades_perps", "BTCUSDT");
        Directory.CreateDirectory(raw);
        await File.WriteAllTextAsync(Path.Combine(raw, "2025-03-01.jsonl"),
            "{\"exchange\":\"binance\",\"instId\":\"BTCUSDT\",\"tradeId\":\"100\",\"ts\":1740787200001,\"px\":\"1\",\"sz\":\"1\",\"side\":\"sell\"," +
            "\"ctVal\":\"1\",\"ctMult\":\"1\",\"ctType\":\"linear\",\"ctValCcy\":\"BTC\",\"qtyBase\":\"1\",\"recvTs\":1740787200001,\"src\":\"ws\"}\n");

        var (code, stdout, stderr) = await RunAsync(caller, Path.Combine(checkout, "run.sh"), "status", "--vault", "my-vault", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(Path.Combine(caller, "my-vault"), json.RootElement.GetProperty("vault").GetString());
        Assert.Equal(1, Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray()).GetProperty("lines").GetInt64());
        Assert.False(Directory.Exists(Path.Combine(checkout, "my-vault")), "nothing may appear in the checkout");
    }

    [NeedsProgramFact("bash")]
    public async Task RunShInstall_TempPrefix_WritesExecutableLauncherThatRunsTheBuiltProgram()
    {
        var checkout = PrepareCheckout();
        var prefix = _dir.File("prefix");

        var (code, _, stderr) = await RunAsync(checkout, Path.Combine(checkout, "run.sh"), "install", "--prefix", prefix);

        Assert.True(code == 0, stderr);
        var launcher = Path.Combine(prefix, "pipeline");
        Assert.True(File.Exists(launcher), stderr);
        Assert.Contains($"installed {launcher}", stderr);
        Assert.Contains("is not on PATH", stderr); // a temp prefix never is: the user is told
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(launcher) & UnixFileMode.UserExecute) != 0, "the launcher must be executable");
        }

        // The launcher runs the built program itself: with run.sh gone it still works, so it pays no set-up checks.
        File.Delete(Path.Combine(checkout, "run.sh"));
        var elsewhere = _dir.File("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var (runCode, stdout, runErr) = await PipelineProcess.RunProgramAsync(launcher, ["--help"], elsewhere,
            new Dictionary<string, string?> { ["PIPELINE_DUCKDB_LIB"] = null });
        Assert.True(runCode == 0, runErr);
        Assert.Contains("Usage:", stdout);
        Assert.Contains("query", stdout);
    }

    [NeedsProgramFact("bash")]
    public async Task RunSh_BuiltAndUnchanged_RunsWithoutBuildingButRebuildsOnceASourceChanges()
    {
        var checkout = PrepareCheckout();
        var script = Path.Combine(checkout, "run.sh");

        var (code, stdout, stderr) = await RunAsync(checkout, script, "--help");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("run.sh:", stderr); // no set-up line at all: neither restore nor build nor progress
        Assert.Contains("Usage:", stdout);

        var source = Path.Combine(checkout, "jobs", "Touched.cs");
        await File.WriteAllTextAsync(source, "// changed since the last build\n");
        // The build is made clearly older than the change, so the test does not hang on the file system's timestamp granularity.
        File.SetLastWriteTimeUtc(Path.Combine(checkout, ".tools", "build.stamp"), File.GetLastWriteTimeUtc(source).AddMinutes(-1));
        (code, stdout, stderr) = await RunAsync(checkout, script, "--help");

        // The throw-away checkout has no solution, so the build fails: what matters is that run.sh tried to build
        // and never ran the stale program instead.
        Assert.Contains("run.sh: building", stderr);
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("Usage:", stdout);
    }

    [UnixFact("a stand-in dotnet script on PATH")]
    public async Task RunSh_FirstRun_SaysEachStageAndProjectAndThatTheBuildIsStillRunning()
    {
        // A fresh checkout (no build yet) with a stand-in dotnet first on PATH: its build ends only once run.sh has
        // said "still building", so the test sees the heartbeat by waiting for it, not by timing a real two-minute build.
        var checkout = _dir.File("fresh");
        Directory.CreateDirectory(checkout);
        File.Copy(Path.Combine(RepoPaths.Root(), "run.sh"), Path.Combine(checkout, "run.sh"));
        var bin = _dir.File("fake-bin");
        Directory.CreateDirectory(bin);
        var fake = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(fake, """
            #!/usr/bin/env bash
            case "$1" in
              --version) echo 10.0.100 ;;
              restore) echo "  Determining projects to restore..."; echo "  Restored $PWD/vault/Pipeline.Vault.csproj (in 1.2 sec)." ;;
              build)
                echo "  Pipeline.Vault -> $PWD/vault/bin/Release/net10.0/Pipeline.Vault.dll"
                for _ in $(seq 300); do grep -q "still building" "$RUN_SH_STDERR" && break; sleep 0.1; done
                echo "  Pipeline.Jobs -> $PWD/jobs/bin/Release/net10.0/pipeline.dll" ;;
              *) ;;
            esac
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var stderrFile = _dir.File("stderr.txt");

        var (code, _, _) = await PipelineProcess.RunProgramAsync("bash", ["-c", "exec bash \"$0\" setup 2>\"$1\"", "run.sh", stderrFile], checkout,
            new Dictionary<string, string?>
            {
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["PIPELINE_PROGRESS_SECONDS"] = "1",
                ["RUN_SH_STDERR"] = stderrFile,
            });

        var stderr = await File.ReadAllTextAsync(stderrFile);
        Assert.True(code == 0, stderr);
        string[] expected =
        [
            "run.sh: first run: restoring packages", "run.sh:   restored Pipeline.Vault.csproj", "run.sh: building (Release; the first build",
            "run.sh:   built Pipeline.Vault", "run.sh: still building (", "run.sh:   built Pipeline.Jobs", "run.sh: built", "run.sh: ready",
        ];
        var at = 0;
        foreach (var line in expected)
        {
            var next = stderr.IndexOf(line, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"'{line}' missing (or out of order) in:\n{stderr}");
            at = next + line.Length;
        }

        Assert.DoesNotContain(" -> ", stderr); // dotnet's own lines stay in the log
        Assert.True(File.Exists(Path.Combine(checkout, ".tools", "build.stamp")), stderr);
    }

    /// <summary>
    /// A throw-away checkout holding the real run.sh, with set-up already done (build stamp, the built binaries
    /// linked in), so the script goes straight to running the pipeline: no build.
    /// </summary>
    private string PrepareCheckout()
    {
        var repo = RepoPaths.Root();
        var checkout = _dir.File("checkout");
        Directory.CreateDirectory(checkout);
        var script = File.ReadAllText(Path.Combine(repo, "run.sh"));
        File.WriteAllText(Path.Combine(checkout, "run.sh"), script);
        Directory.CreateDirectory(Path.Combine(checkout, ".tools"));
        var bin = Path.Combine(checkout, "jobs", "bin", "Release");
        Directory.CreateDirectory(bin);
        Directory.CreateSymbolicLink(Path.Combine(bin, "net10.0"), AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        File.WriteAllText(Path.Combine(checkout, ".tools", "build.stamp"), "");
        return checkout;
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(string workingDirectory, string script, params string[] args) =>
        PipelineProcess.RunProgramAsync("bash", [script, .. args], workingDirectory,
            new Dictionary<string, string?> { ["PIPELINE_VAULT"] = null });

    [Theory]
    [InlineData("run.sh")]
    [InlineData("run.ps1")]
    public void RunScript_SetUp_NeedsOnlyTheDotnetSdk(string name)
    {
        // DuckDB comes with the DuckDB.NET package: no npm download, no library path to export.
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root(), name));
        Assert.DoesNotContain("npm", script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PIPELINE_DUCKDB_LIB", script, StringComparison.Ordinal);
        Assert.DoesNotContain(".tools/duckdb", script, StringComparison.Ordinal);
    }
}
