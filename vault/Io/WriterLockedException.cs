namespace Pipeline.Vault.Io;

/// <summary>Another writer (named by pid when known) holds an instrument's <see cref="WriterLock"/>.</summary>
public sealed class WriterLockedException : IOException
{
    public WriterLockedException()
    {
    }

    public WriterLockedException(string message)
        : base(message)
    {
    }

    public WriterLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public WriterLockedException(string exchange, string instId, string? holder, string path)
        : base($"{exchange}/{instId} is already being written by {holder ?? "another process"} (lock {path}); one writer per instrument")
    {
        Holder = holder;
    }

    /// <summary>"pid 1234 (pipeline export)", or null when the holder left no note.</summary>
    public string? Holder { get; }
}
