using System.Runtime.InteropServices;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>Sends a real signal to a child process (Linux/macOS), as systemd or Ctrl+C would.</summary>
internal static partial class PosixSignal
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
