using Pipeline.Vault.Layout;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A read-only SQL session over one vault: an in-memory DuckDB with the <see cref="VaultViews"/>,
/// file access confined to the vault directory (<c>allowed_directories</c> +
/// <c>enable_external_access=false</c>), extension install/load off, and the configuration locked.
/// Only SELECT-like statements run: COPY, ATTACH, INSTALL, LOAD, SET, CREATE, ... are refused.
/// </summary>
public sealed class VaultQuery : IDisposable
{
    private static readonly HashSet<DuckDbStatementType> ReadOnlyStatements =
        [DuckDbStatementType.Select, DuckDbStatementType.Explain];

    private readonly DuckDbConnection _connection;

    private VaultQuery(VaultLayout vault, DuckDbConnection connection)
    {
        Vault = vault;
        _connection = connection;
    }

    public VaultLayout Vault { get; }

    /// <summary>The locked connection itself (tests prove the lock without the statement filter).</summary>
    internal DuckDbConnection Connection => _connection;

    /// <summary>Opens the session: views over the vault as it is now, then the lock.</summary>
    public static VaultQuery Open(VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var connection = DuckDbConnection.OpenInMemory(new Dictionary<string, string>
        {
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
        });
        try
        {
            var root = vault.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            connection.Execute("SET TimeZone = 'UTC'");
            connection.Execute($"SET allowed_directories = [{VaultViews.Literal(root)}]");
            connection.Execute("SET enable_external_access = false");
            VaultViews.Create(connection, vault);
            connection.Execute("SET lock_configuration = true");
            return new VaultQuery(vault, connection);
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
        DuckDbStatement? statement = null;
        try
        {
            statement = _connection.Prepare(sql);
            var type = statement.StatementType;
            if (!ReadOnlyStatements.Contains(type))
            {
                throw new DuckDbException(
                    $"the query command is read-only and confined to the vault: {type.ToString().ToUpperInvariant()} statements are not allowed (SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN are)");
            }

            var reader = statement.ExecuteReader(ownsStatement: true);
            statement = null;
            return reader;
        }
        catch (DuckDbException ex)
        {
            throw Explain(ex);
        }
        finally
        {
            statement?.Dispose();
        }
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
