using System.Globalization;
using Pipeline.Vault.Layout;

namespace Pipeline.Vault.Io;

/// <summary>
/// The one-writer-per-file rule for an instrument's raw files: an exclusive OS lock on
/// state/locks/{exchange}/{instId}.lock, held for the writer's life (the exporter's recorder, a backfill
/// merge). FileShare.None makes .NET take an flock on Linux (a share lock on Windows); the OS drops it
/// when the process dies, so a lock left by a kill -9 is taken over by the next writer without any
/// stale-lock guessing. A locked file cannot be read by others, so the holder's pid also goes to a
/// sibling {instId}.owner file, only for the refusal message.
/// </summary>
public sealed class WriterLock : IDisposable
{
    private readonly FileStream _stream;

    private WriterLock(FileStream stream, string path, string ownerPath)
    {
        _stream = stream;
        Path = path;
        OwnerPath = ownerPath;
    }

    public string Path { get; }

    public string OwnerPath { get; }

    public static string LockPath(VaultLayout vault, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return System.IO.Path.Combine(vault.StateDir, "locks", VaultNames.Exchange(exchange), VaultNames.InstId(instId) + ".lock");
    }

    /// <summary>The lock of one instrument's microstructure files of one kind (one writer per kind, next to the trades' writer).</summary>
    public static string LockPath(VaultLayout vault, string exchange, string instId, Micro.MicroKind kind)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return System.IO.Path.Combine(vault.StateDir, "locks", VaultNames.Exchange(exchange), Micro.MicroKinds.Name(kind), VaultNames.InstId(instId) + ".lock");
    }

    /// <summary>Takes the writer lock of one instrument or throws <see cref="WriterLockedException"/> naming the holder.</summary>
    /// <param name="role">who takes it (e.g. "pipeline export"), written for the next refused writer</param>
    public static WriterLock Acquire(VaultLayout vault, string exchange, string instId, string role) =>
        AcquirePath(LockPath(vault, exchange, instId), exchange, instId, role);

    /// <summary>Takes the writer lock of one instrument's <paramref name="kind"/> files (microstructure recorder).</summary>
    public static WriterLock Acquire(VaultLayout vault, string exchange, string instId, string role, Micro.MicroKind kind) =>
        AcquirePath(LockPath(vault, exchange, instId, kind), exchange, instId, role);

    private static WriterLock AcquirePath(string path, string exchange, string instId, string role)
    {
        var ownerPath = System.IO.Path.ChangeExtension(path, ".owner");
        DurableFile.EnsureParentDirectory(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The OS's sharing violation says nothing more than the holder's note does.
            throw new WriterLockedException(exchange, instId, ReadOwner(ownerPath), path);
        }

        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            // For people (cat the .lock) and for the next refused writer (the .owner file, readable while locked).
            var text = System.Text.Encoding.ASCII.GetBytes($"{pid} {role}\n");
            stream.SetLength(0);
            stream.Write(text);
            stream.Flush();
            File.WriteAllBytes(ownerPath, text);
        }
        catch (IOException)
        {
            // The lock itself is what matters; the pid note is best effort (e.g. a full disk).
        }

        return new WriterLock(stream, path, ownerPath);
    }

    /// <summary>"pid 1234 (pipeline export)" from the owner note, or null when there is none.</summary>
    private static string? ReadOwner(string ownerPath)
    {
        try
        {
            var text = File.ReadAllText(ownerPath).Trim();
            var parts = text.Split(' ', 2);
            return parts.Length == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? null
                : parts.Length == 2 ? $"pid {pid} ({parts[1]})" : $"pid {pid}";
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
