using System.Runtime.InteropServices;

namespace Pipeline.Vault.Io;

/// <summary>fsync of files and of directories (so a rename or a new file survives power loss).</summary>
public static partial class DurableFile
{
    /// <summary>Flushes a directory's entries to disk. A no-op on Windows, where NTFS journals renames.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return; // best effort: the file data itself was already synced
        }

        try
        {
            _ = FSync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates the parent directory of <paramref name="path"/> (and syncs its parent) when missing.</summary>
    public static void EnsureParentDirectory(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            var parent = Path.GetDirectoryName(directory);
            if (parent is not null)
            {
                SyncDirectory(parent);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
