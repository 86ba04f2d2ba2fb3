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
        await Database.EnsureCreatedAsync(connectionString, ct);
        var dataSource = EventStoreOptions.CreateDataSource(connectionString);
        try
        {
            await SchemaMigrator.MigrateAsync(dataSource, ct);
            return dataSource;
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>A Marten document store over the data source, its schema applied (idempotent, safe to race).</summary>
    public static async Task<DocumentStore> OpenStoreAsync(NpgsqlDataSource dataSource, Action<StoreOptions>? configure = null, CancellationToken ct = default)
    {
        var store = DocumentStore.For(opts =>
        {
            EventStoreOptions.Configure(opts, dataSource);
            configure?.Invoke(opts);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Marten checks a feature's schema again on the first SaveChanges of each process, on a connection of its
        // own: an append already holds one for its decision, so a crowd of first appends could take the whole
        // pool while the check waited for a connection. Checked here, once, before anyone appends.
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(StorageFeatures), ct);
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
        // Our own indexes on Marten's event tables, now that the tables exist (Marten is told to leave them alone).
        await SchemaMigrator.MigrateAsync(dataSource, ct, eventStoreReady: true);
        return store;
    }
}
