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
        DurableFile.EnsureParentDirectory(path);
        try
        {
            return new CalcLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
        }
        catch (IOException ex)
        {
            throw new IOException($"another calculator run holds {path} ({exchange}/{instId}); try again when it has finished", ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
