using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;

namespace Pipeline.Calculators.Runner;

/// <summary>
/// One calculator run per instrument at a time (a scheduled run and a manual <c>calc</c> or
/// <c>recalc</c> must not interleave their appends): an exclusive lock on
/// state/bars_1m/{exchange}/perps/{instId}.lock, released by the OS even when the process is killed.
/// </summary>
public sealed class CalcLock : IDisposable
{
    private readonly FileStream _stream;

    private CalcLock(FileStream stream) => _stream = stream;

    public static CalcLock Acquire(VaultLayout layout, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var path = Path.ChangeExtension(layout.CalcState(Bars.BarLine.Calc, exchange, instId), null);
        path = Path.ChangeExtension(path, ".lock");
        try
        {
            DurableFile.EnsureParentDirectory(path);
            return new CalcLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
        }
        catch (IOException ex) when (IsHeldByAnother(ex))
        {
            throw new CalcLockHeldException($"another calculator run holds {path} ({exchange}/{instId}); try again when it has finished", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only vault, a full disk or missing permissions: say so, never blame another run.
            throw new IOException($"cannot write the calculator lock {path} ({ex.Message}): is the vault read-only?", ex);
        }
    }

    /// <summary>
    /// The OS refused the exclusive lock because someone holds it: EWOULDBLOCK from flock on Unix
    /// (.NET keeps the errno as HResult: 11 on Linux, 35 on macOS), a sharing violation (32) on Windows.
    /// </summary>
    private static bool IsHeldByAnother(IOException ex) =>
        OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);

    public void Dispose() => _stream.Dispose();
}

/// <summary>Another calculator run holds the instrument's lock.</summary>
public sealed class CalcLockHeldException(string message, Exception inner) : IOException(message, inner);
