using CasePathway.Store;
using CasePathway.Store.Schema;
using Npgsql;

namespace CasePathway.Benchmarks;

/// <summary>A fresh database per benchmark class on the server named by CASEPATHWAY_DB, dropped afterwards.</summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private BenchmarkDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Store = new PostgresEventStore(dataSource);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public PostgresEventStore Store { get; }

    public static async Task<BenchmarkDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB")
            ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set: export CASEPATHWAY_DB=$(ops/db start | tail -1)");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_bench_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
        return new BenchmarkDatabase(cs, await CasePathwayDatabase.PrepareAsync(cs));
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Database.DropAsync(ConnectionString);
    }
}
