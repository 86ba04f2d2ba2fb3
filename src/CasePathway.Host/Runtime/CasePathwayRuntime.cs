using CasePathway.Domain.Time;
using CasePathway.Projections;
using CasePathway.Projections.Queries;
using CasePathway.Projections.Runner;
using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using Npgsql;
using NodaTime;

namespace CasePathway.Host.Runtime;

/// <summary>
/// Everything a command or the web app works with, wired once: the prepared database, the event store,
/// tenant configuration, the projections and the queries over them.
/// </summary>
public sealed class CasePathwayRuntime : IAsyncDisposable
{
    private readonly NpgsqlDataSource _notifications;

    private CasePathwayRuntime(NpgsqlDataSource dataSource, string connectionString, TenantDirectory tenants, IClock clock)
    {
        DataSource = dataSource;
        // Unpooled: the connection that waits for NOTIFY is never handed to another command.
        _notifications = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        Tenants = tenants;
        Clock = clock;
        Store = new PostgresEventStore(dataSource);
        Projections =
        [
            new ProjectionRunner(dataSource, Store, new PathwayProjection(Store, tenants), notifications: _notifications),
            new ProjectionRunner(dataSource, Store, new IndicatorFactsProjection(Store, tenants), notifications: _notifications),
        ];
        BreachList = new BreachListQuery(dataSource, tenants, clock);
        BreachFilters = new BreachFilterQuery(dataSource);
        ClockReport = new ClockReportQuery(dataSource, tenants, clock);
        Replay = new ChildReplayQuery(Store, tenants, clock);
        LateRecordings = new LateRecordingsQuery(dataSource);
        Scorecard = new ScorecardQuery(dataSource, tenants);
    }

    public NpgsqlDataSource DataSource { get; }
    public PostgresEventStore Store { get; }
    public TenantDirectory Tenants { get; }
    public IClock Clock { get; }
    public IReadOnlyList<ProjectionRunner> Projections { get; }
    public BreachListQuery BreachList { get; }
    public BreachFilterQuery BreachFilters { get; }
    public ClockReportQuery ClockReport { get; }
    public ChildReplayQuery Replay { get; }
    public LateRecordingsQuery LateRecordings { get; }
    public ScorecardQuery Scorecard { get; }

    /// <summary>Opens the database named by <c>CASEPATHWAY_DB</c> (or the given string), creating and migrating it as needed.</summary>
    public static async Task<CasePathwayRuntime> OpenAsync(string? connectionString = null, CancellationToken ct = default)
    {
        var cs = connectionString ?? Settings.ConnectionString();
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs, ct);
        return new CasePathwayRuntime(dataSource, cs, TenantDirectory.Load(Settings.TenantFolder()), Settings.Clock());
    }

    /// <summary>Opens a database with the given tenant configuration and clock (tests pin "now" this way).</summary>
    public static async Task<CasePathwayRuntime> OpenAsync(string connectionString, TenantDirectory tenants, IClock clock, CancellationToken ct = default)
    {
        var dataSource = await CasePathwayDatabase.PrepareAsync(connectionString, ct);
        return new CasePathwayRuntime(dataSource, connectionString, tenants, clock);
    }

    /// <summary>Brings every projection up to everything committed before the call (read your writes).</summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        foreach (var projection in Projections) await projection.CatchUpAsync(ct);
    }

    public ProjectionRunner? Projection(string name) => Projections.FirstOrDefault(p => p.Name == name);

    public async ValueTask DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}

/// <summary>Environment settings, read in one place (docs/operations.md).</summary>
public static class Settings
{
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable("CASEPATHWAY_DB") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("CASEPATHWAY_DB is not set: run through ops/casepathway (which starts the embedded database) or set it to an Npgsql connection string.");

    /// <summary>The folder of tenant configuration files: <c>CASEPATHWAY_TENANTS</c>, else <c>config/tenants</c> beside the working directory.</summary>
    public static string? TenantFolder() =>
        Environment.GetEnvironmentVariable("CASEPATHWAY_TENANTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Directory.GetCurrentDirectory(), "config", "tenants");

    /// <summary>
    /// The current instant: the system clock, or a fixed instant from <c>CASEPATHWAY_NOW</c> so that
    /// demonstrations and tests can pin "today".
    /// </summary>
    public static IClock Clock() =>
        Environment.GetEnvironmentVariable("CASEPATHWAY_NOW") is { Length: > 0 } now
            ? new FixedClock(OccurrenceText.ParseInstant(now) ?? throw new InvalidOperationException($"CASEPATHWAY_NOW: '{now}' is not an instant with an offset"))
            : SystemClock.Instance;
}
