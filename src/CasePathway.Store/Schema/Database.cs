using Npgsql;

namespace CasePathway.Store.Schema;

/// <summary>Creates the database a connection string names, when it does not exist yet.</summary>
public static class Database
{
    private const string DuplicateDatabase = "42P04";
    private const string UniqueViolation = "23505";

    /// <summary>
    /// Connects to the <c>postgres</c> maintenance database of the same server and creates the named
    /// database if it is missing. Safe when another process creates it at the same moment.
    /// <para>
    /// Its text is compared byte by byte (collation <c>C</c>), whatever the server's default: UTF-8's byte order is
    /// code point order, the order the embedded server's <c>C.UTF-8</c> gave, so nothing sorts differently; but every
    /// comparison in an index or a sort (children's and councils' keys, in every table) no longer goes through the C
    /// library's locale, and sorts may use abbreviated keys. A catch-up's and a rebuild's work in PostgreSQL fell by
    /// about a sixth (docs/performance.md, "Text compared as bytes"). Character classes (upper, lower, ILIKE) keep
    /// the server's own.
    /// </para>
    /// </summary>
    public static async Task EnsureCreatedAsync(string connectionString, CancellationToken ct = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database;
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("The connection string names no database (Database=…).", nameof(connectionString));

        await using var connection = new NpgsqlConnection(MaintenanceConnectionString(target));
        await connection.OpenAsync(ct);
        if (await ExistsAsync(connection, name, ct)) return;
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(name)} TEMPLATE template0 LC_COLLATE 'C'", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        // A concurrent creator won the race: 42P04, or 23505 when both reached the catalogue together.
        catch (PostgresException e) when (e.SqlState is DuplicateDatabase or UniqueViolation)
        {
            if (!await ExistsAsync(connection, name, ct)) throw;
        }
    }

    /// <summary>Drops the named database, closing other sessions on it (used for disposable test databases).</summary>
    public static async Task DropAsync(string connectionString, CancellationToken ct = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await using var connection = new NpgsqlConnection(MaintenanceConnectionString(target));
        await connection.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {QuoteIdentifier(target.Database!)} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(ct);
    }

    private static string MaintenanceConnectionString(NpgsqlConnectionStringBuilder target) =>
        new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(name);
        return await exists.ExecuteScalarAsync(ct) is not null;
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
