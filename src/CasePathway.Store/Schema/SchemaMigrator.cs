using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace CasePathway.Store.Schema;

/// <summary>A numbered schema change, read from an embedded <c>Schema/Migrations/NNNN_name.sql</c> file.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>
    /// A migration named <c>NNNN_events_…</c> changes Marten's event tables (an index of ours on <c>mt_events</c>),
    /// so it runs once Marten has created them (<see cref="CasePathwayDatabase.OpenStoreAsync"/>), not before.
    /// </summary>
    public bool NeedsEventStore => Name.StartsWith("events_", StringComparison.Ordinal);
}

/// <summary>
/// Applies the embedded SQL migrations that a database has not had yet, in version order, each in its own
/// transaction and recorded in <c>schema_migrations</c>. A session advisory lock serialises processes that
/// start together: the second waits, then finds nothing left to do.
/// </summary>
public static partial class SchemaMigrator
{
    // An arbitrary constant that names "CasePathway schema migration" among advisory locks.
    private const long LockKey = 0x43505f4d49475241; // "CP_MIGRA"
    private const string ResourcePrefix = "CasePathway.Migrations.";

    [GeneratedRegex(@"^(?<version>\d{4,})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();

    /// <summary>The migrations embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>
    /// Applies what is missing; returns the versions applied by this call (empty when up to date). The migrations
    /// that need Marten's event tables are applied only when <paramref name="eventStoreReady"/>.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default, bool eventStoreReady = false)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetInt32(0));

            var done = new List<int>();
            foreach (var migration in Embedded.Where(m => !applied.Contains(m.Version) && (eventStoreReady || !m.NeedsEventStore)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                try
                {
                    await ExecuteAsync(connection, migration.Sql, ct);
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException($"Migration {migration.Version:0000}_{migration.Name} failed: {e.MessageText}", e);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection))
                {
                    record.Parameters.AddWithValue(migration.Version);
                    record.Parameters.AddWithValue(migration.Name);
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = resource[ResourcePrefix.Length..];
            var match = FileName().Match(file);
            if (!match.Success)
                throw new InvalidOperationException($"Migration file {file} is not named NNNN_lower_case_name.sql.");
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, Read(assembly, resource)));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        return [.. migrations.OrderBy(m => m.Version)];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
