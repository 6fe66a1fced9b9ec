using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Testing.Processes;

/// <summary>
/// A child process under test: <c>dotnet pipeline.dll ...</c> (the real binary, killed or signalled for real) or any
/// other program (run.sh through bash). Every test that starts a process goes through here, so each one gets the same
/// things: a clean environment (never the developer's vault), captured stdout/stderr, real POSIX signals, bounded
/// waits for exit and for an output line, and the captured output in every failure message.
/// </summary>
public sealed partial class PipelineProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>The default bound of a wait: generous, because CI runs on two busy cores.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;
    private readonly string _command;

    private PipelineProcess(Process process, string command)
    {
        _process = process;
        _command = command;
        _readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, _stdout),
            PumpAsync(process.StandardError, _stderr));
    }

    public static string PipelineDll => Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    /// <summary>Whether this process runs with SIGINT or SIGQUIT ignored (Linux: the SigIgn mask in /proc/self/status).</summary>
    public static bool InheritedIgnoredInterrupt { get; } = ReadInheritedIgnoredInterrupt();

    private static bool ReadInheritedIgnoredInterrupt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & 0b110) != 0; // bit n-1 is signal n: SIGINT = 2, SIGQUIT = 3
    }

    /// <summary>Starts <c>dotnet pipeline.dll args</c>.</summary>
    public static PipelineProcess Start(params string[] args) => Start(args, workingDirectory: null, environment: null);

    /// <summary>
    /// Starts <c>dotnet pipeline.dll args</c> in <paramref name="workingDirectory"/> with extra environment
    /// variables (a null value removes the variable); <paramref name="stdin"/> keeps standard input open for <see cref="Stdin"/>.
    /// </summary>
    public static PipelineProcess Start(IEnumerable<string> args, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, bool stdin = false) =>
        Launch("dotnet", [PipelineDll, .. args], workingDirectory, environment, stdin);

    /// <summary>Starts any program (e.g. <c>bash run.sh</c>) with the same environment hygiene, capture and waits.</summary>
    public static PipelineProcess Launch(string program, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool stdin = false)
    {
        // A child inherits ignored signals, and .NET keeps SIGINT/SIGQUIT ignored when it starts with them ignored (the
        // Unix convention for nohup and background jobs). Tests run that way (a CI step or harness in the background)
        // would signal a child that cannot hear it, so the child starts with the default dispositions.
        var resetSignals = InheritedIgnoredInterrupt;
        var info = new ProcessStartInfo(resetSignals ? "env" : program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        info.Environment.Remove("PIPELINE_VAULT"); // a test never writes into the developer's vault
        // pipeline run serves /health on 127.0.0.1:9464 by default: a test takes a free port instead, so it never
        // collides with another test or a pipeline the developer runs (state/host/run.json says which port).
        info.Environment["PIPELINE_HEALTH__ADDRESS"] = "127.0.0.1:0";
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

        if (resetSignals)
        {
            info.ArgumentList.Add("--default-signal=INT,QUIT"); // GNU env: reset, then exec the program (same pid)
            info.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + program);
        if (!stdin)
        {
            process.StandardInput.Close(); // the child sees end of input, as with </dev/null
        }

        return new PipelineProcess(process, program + " " + string.Join(' ', info.ArgumentList));
    }

    /// <summary>Starts <c>dotnet pipeline.dll args</c>, waits (bounded) for it to end: its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var code = await process.WaitForExitAsync(DefaultBound);
        return (code, process.Stdout, process.Stderr);
    }

    /// <summary>Runs any program to its end (bounded): its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunProgramAsync(string program, IEnumerable<string> args,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Launch(program, args, workingDirectory, environment);
        var code = await process.WaitForExitAsync(DefaultBound);
        return (code, process.Stdout, process.Stderr);
    }

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Standard input, when the process was started with <c>stdin: true</c>.</summary>
    public StreamWriter Stdin => _process.StandardInput;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// The processor time the process has used so far (null once it is gone): how much work it has done, which,
    /// unlike wall time, does not stretch when the machine is busy.
    /// </summary>
    public TimeSpan? CpuTime
    {
        get
        {
            try
            {
                return _process.HasExited ? null : _process.TotalProcessorTime;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return null; // it ended between the check and the read
            }
        }
    }

    /// <summary>What a failure message shows: the command, its state and everything it printed so far.</summary>
    public string Describe() =>
        $"{_command} (pid {_process.Id}, {(_process.HasExited ? "exit " + _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "running")})\n" +
        $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Sends a real POSIX signal (<see cref="SigInt"/>, <see cref="SigTerm"/>, <see cref="SigKill"/>) to the process itself.</summary>
    public void Signal(int signal)
    {
        if (KillSyscall(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL (the whole tree): no chance to flush or write state. Returns once the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then the exit code (commands drain, fsync and exit 0); bounded.</summary>
    public Task<int> TerminateAsync(TimeSpan bound)
    {
        Signal(SigTerm);
        return WaitForExitAsync(bound);
    }

    /// <summary>SIGINT (Ctrl+C), then the exit code; bounded.</summary>
    public Task<int> InterruptAsync(TimeSpan bound)
    {
        Signal(SigInt);
        return WaitForExitAsync(bound);
    }

    /// <summary>Waits (bounded) for the process to end and its output to be read; its exit code. Fails with the output so far.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await _readers.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"waited {bound.TotalSeconds:F0} s for the process to exit: {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// <paramref name="condition"/> evaluated at most once per <paramref name="every"/> (default 20 ms; the last answer
    /// in between; once true it stays true, so for conditions that do not go back): a wait that reads state files or lists a
    /// vault must not take a core from the processes it waits for.
    /// </summary>
    public static Func<bool> Sampled(Func<bool> condition, TimeSpan? every = null)
    {
        var period = every ?? TimeSpan.FromMilliseconds(20);
        var clock = Stopwatch.StartNew();
        var last = condition();
        var at = clock.Elapsed;
        return () =>
        {
            if (!last && clock.Elapsed - at >= period)
            {
                last = condition();
                at = clock.Elapsed;
            }

            return last;
        };
    }

    /// <summary>Waits (bounded) for a complete stdout line that matches; fails when the process ends first, with its output.</summary>
    public Task<string> WaitForStdoutLineAsync(Func<string, bool> match, string what, TimeSpan? bound = null) =>
        WaitForLineAsync(_stdout, match, what, bound ?? DefaultBound);

    /// <summary>Waits (bounded) for a complete stderr line that matches; fails when the process ends first, with its output.</summary>
    public Task<string> WaitForStderrLineAsync(Func<string, bool> match, string what, TimeSpan? bound = null) =>
        WaitForLineAsync(_stderr, match, what, bound ?? DefaultBound);

    /// <summary>
    /// Waits (bounded) for a condition on the outside world (a state file, a vault file) while the process runs;
    /// fails at once, with the output, when the process ends first, and says what it waited for when the bound passes.
    /// </summary>
    public async Task WaitWhileRunningAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? DefaultBound;
        var sampled = Sampled(condition);
        var held = await Waits.UntilAsync(() => sampled() || _process.HasExited, limit, what, throwOnTimeout: false);
        if (!held)
        {
            throw new TimeoutException($"waited {limit.TotalSeconds:F0} s for {what}: {Describe()}");
        }

        if (!condition())
        {
            throw new InvalidOperationException($"the process ended while waiting for {what}: {Describe()}");
        }
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

    private async Task<string> WaitForLineAsync(StringBuilder stream, Func<string, bool> match, string what, TimeSpan bound)
    {
        string? found = null;
        bool Found()
        {
            var text = Read(stream);
            var end = text.LastIndexOf('\n');
            found = end < 0 ? null : text[..end].Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
            return found is not null;
        }

        var sampled = Sampled(Found);
        var held = await Waits.UntilAsync(() => sampled() || _readers.IsCompleted, bound, what, throwOnTimeout: false);
        if (!held)
        {
            throw new TimeoutException($"waited {bound.TotalSeconds:F0} s for {what}: {Describe()}");
        }

        return Found() ? found! : throw new InvalidOperationException($"the output ended without {what}: {Describe()}");
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillSyscall(int pid, int signal);
}
