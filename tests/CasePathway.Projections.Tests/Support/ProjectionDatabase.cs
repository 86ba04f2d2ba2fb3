using CasePathway.Projections.Runner;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Testing;
using Npgsql;

namespace CasePathway.Projections.Tests.Support;

/// <summary>A fresh migrated database for one test, with the pathway projection's runner and dumps of its read models.</summary>
internal sealed class ProjectionDatabase : IAsyncDisposable
{
    private readonly TestDatabase _db = new();

    private ProjectionDatabase() { }

    public static async Task<ProjectionDatabase> CreateAsync()
    {
        var db = new ProjectionDatabase();
        await db._db.InitializeAsync();
        return db;
    }

    public NpgsqlDataSource DataSource => _db.DataSource;
    public PostgresEventStore Store => _db.EventStore;
    public string ConnectionString => _db.ConnectionString;

    public ProjectionRunner Runner(int batchSize = 2000, TenantDirectory? tenants = null, IProjection? projection = null) =>
        new(DataSource, Store, projection ?? new PathwayProjection(Store, tenants ?? TenantDirectory.Empty),
            new ProjectionOptions(batchSize, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60)));

    /// <summary>Every row of clock_versions and child_timeline, every column, in key order, as text.</summary>
    public async Task<ReadModelDump> DumpAsync()
    {
        return new ReadModelDump(
            await RowsAsync("select * from clock_versions order by tenant, child, rule, episode, known_from"),
            await RowsAsync("select * from child_timeline order by tenant, child, seq"));
    }

    public async Task<IReadOnlyList<string>> RowsAsync(string sql)
    {
        var rows = new List<string>();
        await using var cmd = DataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
                fields[i] = reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "∅" : Text(reader.GetValue(i)));
            rows.Add(string.Join(" | ", fields));
        }
        return rows;
    }

    private static string Text(object value) => value switch
    {
        DateTime d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    public async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}

internal sealed record ReadModelDump(IReadOnlyList<string> ClockVersions, IReadOnlyList<string> Timeline);
