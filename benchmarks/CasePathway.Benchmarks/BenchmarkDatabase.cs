using CasePathway.Projections;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using Marten;
using Npgsql;

namespace CasePathway.Benchmarks;

/// <summary>
/// A fresh database per benchmark class on the server named by CASEPATHWAY_DB, dropped afterwards, with
/// Marten's store running the pathway projection as the runtime registers it.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private BenchmarkDatabase(string connectionString, NpgsqlDataSource dataSource, DocumentStore documentStore, IReadOnlyList<ChildProjection> projections)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        DocumentStore = documentStore;
        Store = new MartenEventStore(documentStore);
        Projections = new ProjectionControl(documentStore, projections, TimeSpan.FromMinutes(30));
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public DocumentStore DocumentStore { get; }
    public MartenEventStore Store { get; }
    public ProjectionControl Projections { get; }

    /// <summary>A fresh database whose store runs <paramref name="projections"/> (by default the pathway projection alone).</summary>
    public static async Task<BenchmarkDatabase> CreateAsync(IReadOnlyList<ChildProjection>? projections = null)
    {
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB")
            ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set: export CASEPATHWAY_DB=$(ops/db start | tail -1)");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_bench_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        projections ??= [new PathwayProjection(TenantDirectory.Empty)];
        var documentStore = await CasePathwayDatabase.OpenStoreAsync(dataSource, o => CasePathwayProjections.Register(o, projections));
        return new BenchmarkDatabase(cs, dataSource, documentStore, projections);
    }

    /// <summary>No events, no progression, empty read models.</summary>
    public async Task EmptyAsync()
    {
        await DocumentStore.Advanced.Clean.DeleteAllEventDataAsync();
        await DocumentStore.Advanced.Clean.DeleteAllDocumentsAsync();
        await ExecuteAsync($"truncate clock_versions, child_timeline, indicator_facts; delete from {EventStoreOptions.SchemaName}.mt_event_progression");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        DocumentStore.Dispose();
        await DataSource.DisposeAsync();
        await Database.DropAsync(ConnectionString);
    }
}
