using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pipeline.Testing.Processes;

/// <summary>
/// `dotnet pipeline.dll ...` as a child process (the real binary, killed or signalled for real): the one launcher
/// of the process tests. A test never writes into the developer's vault (PIPELINE_VAULT is removed).
/// </summary>
public sealed class PipelineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stdout = [];

    private PipelineProcess(Process process) => _process = process;

    /// <summary>pipeline.dll next to the test binaries (the test project references the jobs project).</summary>
    public static string PipelineDll => Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    public static PipelineProcess Start(params string[] args) => Start(args, environment: null);

    /// <summary>
    /// Starts the pipeline with <paramref name="args"/>; <paramref name="environment"/> sets variables (a null value
    /// removes one); stdout and stderr are collected as they come.
    /// </summary>
    public static PipelineProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory = null)
    {
        var process = Process.Start(Info(args, environment, workingDirectory)) ?? throw new InvalidOperationException("cannot start dotnet");
        var result = new PipelineProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (result._stderr)
                {
                    result._stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (result._stdout)
                {
                    result._stdout.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return result;
    }

    /// <summary>Runs the pipeline to its end (bounded) and returns its exit code and exact output.</summary>
    public static async Task<PipelineRun> RunAsync(IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = Process.Start(Info(args, environment, workingDirectory)) ?? throw new InvalidOperationException("cannot start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipeline {string.Join(' ', args)} did not exit within {timeout.TotalSeconds:F0} s");
        }

        return new PipelineRun(process.ExitCode, await stdout, await stderr);
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The lines printed to stdout so far.</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no chance to flush or write state.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then the exit code (commands drain, fsync and exit 0).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself (bounded) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Info(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        info.ArgumentList.Add(PipelineDll);
        info.Environment.Remove("PIPELINE_VAULT"); // a test never writes into the developer's vault
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
