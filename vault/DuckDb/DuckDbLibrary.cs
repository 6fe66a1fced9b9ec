using System.Reflection;
using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Finds the DuckDB native library: $PIPELINE_DUCKDB_LIB (only that file when set), then .tools/duckdb/ (searched upwards
/// from the working directory and from the application folder), then the system's loader.
/// </summary>
public static class DuckDbLibrary
{
    public const string LibraryName = "duckdb";
    public const string EnvironmentVariable = "PIPELINE_DUCKDB_LIB";

    private static readonly Lock Gate = new();
    private static bool _registered;
    private static string? _loadedFrom;

    /// <summary>Where the library was loaded from, once it was.</summary>
    public static string? LoadedFrom => _loadedFrom;

    /// <summary>Registers the resolver for this assembly (idempotent).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(DuckDbLibrary).Assembly, Resolve);
            _registered = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit choice is never silently replaced by another copy.
            var path = Path.GetFullPath(fromEnvironment);
            if (!File.Exists(path))
            {
                throw new DuckDbException(
                    $"{EnvironmentVariable} points at {path}, which does not exist: fix or unset it (./run.sh fetches the library into .tools/duckdb/)");
            }

            if (!NativeLibrary.TryLoad(path, out var chosen))
            {
                throw new DuckDbException($"{EnvironmentVariable} points at {path}, which does not load as the DuckDB native library");
            }

            _loadedFrom = path;
            return chosen;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                _loadedFrom = candidate;
                return handle;
            }
        }

        foreach (var systemName in SystemNames())
        {
            if (NativeLibrary.TryLoad(systemName, assembly, searchPath, out var handle))
            {
                _loadedFrom = systemName;
                return handle;
            }
        }

        throw new DuckDbException(
            "the DuckDB native library was not found: run ./run.sh once (it fetches it into .tools/duckdb/), " +
            $"or set {EnvironmentVariable} to the path of {FileName}");
    }

    public static string FileName =>
        OperatingSystem.IsWindows() ? "duckdb.dll" : OperatingSystem.IsMacOS() ? "libduckdb.dylib" : "libduckdb.so";

    private static IEnumerable<string> Candidates()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                yield return Path.Combine(dir.FullName, ".tools", "duckdb", FileName);
            }
        }
    }

    private static IEnumerable<string> SystemNames()
    {
        yield return FileName;
        yield return "duckdb";
    }
}
