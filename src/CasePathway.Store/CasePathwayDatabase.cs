using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using global::Marten;
using global::Marten.Storage;
using Npgsql;

namespace CasePathway.Store;

/// <summary>The one entry point that makes a database ready for CasePathway.</summary>
public static class CasePathwayDatabase
{
    /// <summary>
    /// Creates the database if it is missing, applies pending read-model migrations, and returns a data
    /// source for it (NodaTime-aware). Marten's own tables are applied by <see cref="OpenStoreAsync"/>.
    /// </summary>
    public static async Task<NpgsqlDataSource> PrepareAsync(string connectionString, CancellationToken ct = default)
    {
        var dataSource = EventStoreOptions.CreateDataSource(connectionString);
        try
        {
            await CreateAndMigrateAsync(connectionString, dataSource, ct);
            return dataSource;
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <see cref="PrepareAsync"/> and <see cref="OpenStoreAsync"/> in one, as a start-up wants them: Marten's store is
    /// configured (CPU only, a noticeable part of a start-up) on another thread while the database is created and
    /// migrated (mostly waiting for PostgreSQL), then its schema is applied.
    /// </summary>
    /// <returns>The data source, the store, and whether Marten's schema was applied (false: its fingerprint was current).</returns>
    public static async Task<(NpgsqlDataSource DataSource, DocumentStore Store, bool SchemaApplied)> PrepareAndOpenStoreAsync(
        string connectionString, Action<StoreOptions>? configure = null, CancellationToken ct = default)
    {
        var dataSource = EventStoreOptions.CreateDataSource(connectionString);
        var configuring = Task.Run(() => CreateStore(dataSource, configure), ct);
        DocumentStore? store = null;
        try
        {
            try
            {
                await CreateAndMigrateAsync(connectionString, dataSource, ct);
            }
            finally
            {
                // never left running behind a failure: its store is disposed below
                store = await configuring;
            }
            var applied = await ApplyStoreSchemaAsync(store, dataSource, ct);
            return (dataSource, store, applied);
        }
        catch
        {
            store?.Dispose();
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>A Marten document store over the data source, its schema applied (idempotent, safe to race).</summary>
    public static async Task<DocumentStore> OpenStoreAsync(NpgsqlDataSource dataSource, Action<StoreOptions>? configure = null, CancellationToken ct = default)
    {
        var store = CreateStore(dataSource, configure);
        try
        {
            await ApplyStoreSchemaAsync(store, dataSource, ct);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static DocumentStore CreateStore(NpgsqlDataSource dataSource, Action<StoreOptions>? configure) =>
        DocumentStore.For(opts =>
        {
            EventStoreOptions.Configure(opts, dataSource);
            configure?.Invoke(opts);
        });

    /// <summary>
    /// The database exists at almost every start: its first connection is tried straight away (the pool keeps it for
    /// the migrations), and only when PostgreSQL says there is no such database is it created through the
    /// maintenance database — one connection fewer per start.
    /// </summary>
    private static async Task CreateAndMigrateAsync(string connectionString, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == InvalidCatalogName)
        {
            await Database.EnsureCreatedAsync(connectionString, ct);
        }
        await SchemaMigrator.MigrateAsync(dataSource, ct);
    }

    private const string InvalidCatalogName = "3D000";

    /// <summary>
    /// Applies Marten's schema to the database — unless the fingerprint recorded at the last apply is this
    /// configuration's and its objects all exist (<see cref="SchemaFingerprint"/>): then the catalogue is not diffed
    /// again, and every feature is marked as checked as an apply would leave it. Returns whether it applied.
    /// </summary>
    public static async Task<bool> ApplyStoreSchemaAsync(DocumentStore store, NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        var applied = await SchemaFingerprint.ApplyUnlessCurrentAsync((MartenDatabase)store.Storage.Database, dataSource, SchemaFingerprint.Marten, async () =>
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            // Marten checks a feature's schema again on the first SaveChanges of each process, on a connection of its
            // own: an append already holds one for its decision, so a crowd of first appends could take the whole
            // pool while the check waited for a connection. Checked here, once, before anyone appends (a full apply
            // marks them all; these say so, whatever Marten's version does).
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(StorageFeatures), ct);
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
        }, ct);
        // Our own indexes on Marten's event tables, now that the tables exist (Marten is told to leave them alone).
        await SchemaMigrator.MigrateAsync(dataSource, ct, eventStoreReady: true);
        return applied;
    }
}
