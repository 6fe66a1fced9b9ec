using System.Text.Json;
using Pipeline.Vault.Io;

namespace Pipeline.Vault.State;

/// <summary>
/// A small JSON state file replaced atomically: written to "{path}.tmp", fsynced, then renamed over
/// the old file, which is kept as "{path}.bak". A crash at any point leaves either the old or the
/// new content, never a mix; a leftover temp file is ignored and overwritten by the next write.
/// </summary>
/// <remarks>
/// <paramref name="syncDirectory"/> false skips the directory fsync after the rename: for a state
/// whose loss only repeats work (a calculator cursor: the outputs are cut back to the older state's
/// lengths and recomputed), the rename need not be durable at once, and a pass saves one device flush.
/// </remarks>
public sealed class StateFile<T>(string path, JsonSerializerOptions? options = null, bool syncDirectory = true)
    where T : class
{
    private readonly JsonSerializerOptions _options = options ?? StateJson.Options;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string TempPath => Path + ".tmp";

    public string BackupPath => Path + ".bak";

    public bool Exists => File.Exists(Path);

    /// <summary>The state, or null when there is none yet. A corrupt file is a clear error.</summary>
    public T? Read()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(Path);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, _options)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException ex)
        {
            var backup = File.Exists(BackupPath) ? $"; the previous good copy is {BackupPath}" : string.Empty;
            throw new StateFileCorruptException(
                $"state file {Path} is corrupt ({ex.Message}){backup}. Move it away (or restore the .bak) to continue.", ex);
        }
    }

    public void Write(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        DurableFile.EnsureParentDirectory(Path);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, _options);
        using (var stream = new FileStream(TempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            stream.Write(bytes);
            stream.Flush(true);
        }

        if (File.Exists(Path))
        {
            File.Replace(TempPath, Path, BackupPath, ignoreMetadataErrors: true);
        }
        else
        {
            File.Move(TempPath, Path);
        }

        if (syncDirectory)
        {
            DurableFile.SyncDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
    }
}
