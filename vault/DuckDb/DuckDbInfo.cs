using System.Runtime.InteropServices;
using Pipeline.Vault.DuckDb.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>Facts about the loaded DuckDB library.</summary>
public static class DuckDbInfo
{
    /// <summary>Loads the library (a clear <see cref="DuckDbException"/> when missing) and returns its version.</summary>
    public static string Version()
    {
        try
        {
            return Marshal.PtrToStringUTF8(DuckDbNative.LibraryVersion()) ?? "unknown";
        }
        catch (TypeInitializationException ex) when (ex.InnerException is DuckDbException inner)
        {
            throw inner;
        }
        catch (DllNotFoundException ex)
        {
            throw new DuckDbException(
                $"the DuckDB native library could not be loaded ({ex.Message}): run ./run.sh once, or set {DuckDbLibrary.EnvironmentVariable}", ex);
        }
    }
}
