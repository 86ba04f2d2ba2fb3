using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store.Marten;
using CasePathway.Testing;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace CasePathway.Projections.Tests.Support;

/// <summary>
/// A fresh migrated database whose Marten store runs both projections (as the runtime registers them),
/// with the commands' control over them and dumps of the read models.
/// </summary>
public class ProjectionDatabase : TestDatabase, IAsyncDisposable
{
    private readonly int? _batchSize;

    public ProjectionDatabase() : this(TenantDirectory.Empty) { }

    protected ProjectionDatabase(TenantDirectory tenants, int? batchSize = null)
    {
        _batchSize = batchSize;
        Projections = CasePathwayProjections.For(tenants);
    }

    public static async Task<ProjectionDatabase> CreateAsync(int? batchSize = null, TenantDirectory? tenants = null)
    {
        var db = new ProjectionDatabase(tenants ?? TenantDirectory.Empty, batchSize);
        await db.InitializeAsync();
        return db;
    }

    public IReadOnlyList<ChildProjection> Projections { get; }

    public MartenEventStore Store => EventStore;

    public ProjectionControl Control => new(DocumentStore, Projections, TimeSpan.FromSeconds(60)) { RefoldFromEvents = RefoldFromEvents };

    /// <summary>The catch-up's threshold for refolding a backlog instead of Marten's daemon (1: every backlog is refolded).</summary>
    public long RefoldFromEvents { get; set; } = ProjectionControl.DefaultRefoldFromEvents;

    protected override void ConfigureMarten(StoreOptions options)
    {
        CasePathwayProjections.Register(options, Projections, _batchSize);
        options.Projections.AsyncMode = DaemonMode.HotCold;
        // A test should not wait seconds for leadership.
        options.Projections.LeadershipPollingTime = 200;
    }

    public Task CatchUpAsync() => Control.CatchUpAsync();

    public Task<long> RebuildAsync(string name = PathwayProjection.ProjectionName) => Control.RebuildAsync(Control.Find(name)!);

    public async Task<long> PositionAsync(string name = PathwayProjection.ProjectionName) =>
        (await Control.StatusAsync()).Single(s => s.Name == name).Position;

    /// <summary>Every row of clock_versions and child_timeline, every column, in key order, as text.</summary>
    public async Task<ReadModelDump> DumpAsync() => new(
        await RowsAsync("select * from clock_versions order by tenant, child, rule, episode, known_from"),
        await RowsAsync("select * from child_timeline order by tenant, child, seq"),
        await RowsAsync("select * from breach_reasons order by tenant, child, rule, episode, known_from"));

    /// <summary>Every row of indicator_facts (the scorecard's read model), every column, in key order, as text.</summary>
    public Task<IReadOnlyList<string>> FactsAsync() => RowsAsync("select * from indicator_facts order by tenant, child, indicator, event_id");

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

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}

public sealed record ReadModelDump(IReadOnlyList<string> ClockVersions, IReadOnlyList<string> Timeline, IReadOnlyList<string> BreachReasons);
