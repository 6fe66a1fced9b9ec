using Pipeline.Vault.Layout;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A read-only SQL session over one vault, read-only by construction: only text that DuckDB's own
/// parser classifies as one SELECT (DESCRIBE, SHOW, SUMMARIZE) or EXPLAIN of one, calling only
/// read-only table functions, runs (<see cref="ReadOnlySql"/>); nothing is prepared before that check.
/// Behind it, the engine itself is confined: an in-memory DuckDB with the <see cref="VaultViews"/>,
/// file access limited to the vault directory (<c>allowed_directories</c> +
/// <c>enable_external_access=false</c>), no temp directory (nothing spills, so there is no directory
/// outside the vault to read or write), no persistent secrets, extension install/load off, memory and
/// threads bounded (<see cref="VaultQueryLimits"/>), and the configuration locked.
/// </summary>
public sealed class VaultQuery : IDisposable
{
    private readonly DuckDbConnection _connection;

    private VaultQuery(VaultLayout vault, DuckDbConnection connection, IReadOnlyList<DamagedFile> damagedFiles)
    {
        Vault = vault;
        _connection = connection;
        DamagedFiles = damagedFiles;
    }

    public VaultLayout Vault { get; }

    /// <summary>Files the views leave out because they cannot be read (each logged as a warning).</summary>
    public IReadOnlyList<DamagedFile> DamagedFiles { get; }

    /// <summary>The locked connection itself (tests prove the lock without the statement filter).</summary>
    internal DuckDbConnection Connection => _connection;

    /// <summary>
    /// Opens the session: views over the vault as it is now, then the lock. <paramref name="bandMultipliers"/>
    /// names the <c>bands</c> view's columns (default: the calculators' default, 1 and 2).
    /// </summary>
    public static VaultQuery Open(VaultLayout vault, VaultQueryLimits? limits = null, IReadOnlyList<decimal>? bandMultipliers = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        limits ??= new VaultQueryLimits();
        var connection = DuckDbConnection.OpenInMemory(new Dictionary<string, string>
        {
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
            ["allow_community_extensions"] = "false",
            ["allow_persistent_secrets"] = "false",
            // DuckDB otherwise spills to <cwd>/.tmp and lets every query read and write there.
            ["temp_directory"] = "",
            ["max_temp_directory_size"] = "0B",
            ["memory_limit"] = limits.MemoryLimit,
            ["threads"] = limits.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            var root = vault.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            connection.Execute("SET TimeZone = 'UTC'");
            connection.Execute($"SET allowed_directories = [{VaultViews.Literal(root)}]");
            connection.Execute("SET enable_external_access = false");
            var damaged = VaultViews.Create(connection, vault, bandMultipliers);
            connection.Execute("SET lock_configuration = true");
            return new VaultQuery(vault, connection, damaged);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one read-only statement and streams its rows. Refused statements and file access outside
    /// the vault throw <see cref="DuckDbException"/> with a one-line reason.
    /// </summary>
    public DuckDbReader Query(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        try
        {
            // Classified before it runs: preparing binds, and binding alone can act (EXPORT DATABASE makes its directory).
            // Exactly the text DuckDB's parser accepted as one SELECT (or EXPLAIN of one) runs.
            var (text, _) = ReadOnlySql.Check(_connection, sql);
            return _connection.Query(text);
        }
        catch (DuckDbException ex)
        {
            throw Explain(ex);
        }
    }

    /// <summary>Whether <paramref name="sql"/> is an EXPLAIN (its result is a plan drawn over several lines).</summary>
    public static bool IsExplain(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return ReadOnlySql.FirstWord(sql).Word.Equals("EXPLAIN", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Stops the running statement (from any thread).</summary>
    public void Interrupt() => _connection.Interrupt();

    public void Dispose() => _connection.Dispose();

    /// <summary>One line; DuckDB's permission errors become "access outside the vault is not allowed: ...".</summary>
    public DuckDbException Explain(DuckDbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var firstLine = error.Message.Split('\n', 2)[0].Trim();
        if (firstLine.StartsWith("Permission Error", StringComparison.Ordinal))
        {
            return new DuckDbException($"access outside the vault is not allowed (vault: {Vault.Root}): {firstLine}");
        }

        if (firstLine.Contains("the configuration has been locked", StringComparison.Ordinal))
        {
            return new DuckDbException($"settings are locked in the vault query session: {firstLine}");
        }

        // One line: DuckDB's caret diagram under a parser error is dropped (the message names the spot).
        return firstLine == error.Message ? error : new DuckDbException(firstLine);
    }
}
