using Xunit;

namespace Pipeline.Testing;

/// <summary>
/// A fact that needs file permissions to bind: as root (CI containers) chmod does not stop a write, so the
/// test is reported as skipped with that reason instead of passing without proving anything.
/// </summary>
public sealed class NonRootUnixFactAttribute : FactAttribute
{
    public NonRootUnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs Unix file modes";
        }
        else if (Environment.IsPrivilegedProcess)
        {
            Skip = "runs as root: chmod does not stop root from writing; the blocked-path and /dev/full tests cover this case";
        }
    }
}

/// <summary>A fact that needs a file: skipped, with the file named, where it does not exist (e.g. /dev/full off Linux).</summary>
public sealed class NeedsFileFactAttribute : FactAttribute
{
    public NeedsFileFactAttribute(string path)
    {
        if (!File.Exists(path))
        {
            Skip = $"needs {path}, which this system does not have";
        }
    }
}

/// <summary>A fact that runs a program found on PATH: skipped, with the program named, where it is absent.</summary>
public sealed class NeedsProgramFactAttribute : FactAttribute
{
    public NeedsProgramFactAttribute(string program)
    {
        if (Locate(program) is null)
        {
            Skip = $"needs '{program}' on PATH, which this system does not have";
        }
    }

    public static string? Locate(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);
}

/// <summary>A fact that sends POSIX signals or takes POSIX locks: skipped, with the reason, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute(string why)
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs Unix: " + why;
        }
    }
}

/// <summary>A theory that sends POSIX signals: skipped, with the reason, on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute(string why)
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs Unix: " + why;
        }
    }
}

/// <summary>A fact that relies on Linux behaviour (flock semantics of .NET's FileShare.None): skipped elsewhere, with the reason.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute(string why)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux: " + why;
        }
    }
}
