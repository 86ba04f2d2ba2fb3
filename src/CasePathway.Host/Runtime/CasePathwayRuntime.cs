using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.LateRecordings;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using JasperFx.Events.Daemon;
using Marten;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Runtime;

/// <summary>
/// Everything a command or the web app works with, wired once: the prepared database, Marten's store with
/// the projections registered for its async daemon (HotCold, so only one server runs each), the event store,
/// tenant configuration and the queries over the read models.
/// </summary>
public sealed class CasePathwayRuntime : IAsyncDisposable
{
    private CasePathwayRuntime(string connectionString, NpgsqlDataSource dataSource, DocumentStore documentStore, IReadOnlyList<Projections.ChildProjection> projections, TenantDirectory tenants, IClock clock)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        DocumentStore = documentStore;
        Tenants = tenants;
        Clock = clock;
        Store = new MartenEventStore(documentStore);
        Projections = new ProjectionControl(documentStore, projections);
        BreachList = new BreachListQuery(dataSource, tenants, clock);
        ClockReport = new ClockReportQuery(dataSource, tenants, clock);
        Replay = new ChildReplayQuery(Store, tenants, clock);
        LateRecordings = new LateRecordingsQuery(dataSource);
        Scorecard = new ScorecardQuery(dataSource, tenants);
    }

    /// <summary>As given, password included: Wolverine's message storage opens its own connections with it.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }
    public DocumentStore DocumentStore { get; }
    public MartenEventStore Store { get; }
    public TenantDirectory Tenants { get; }
    public IClock Clock { get; }
    public ProjectionControl Projections { get; }
    public BreachListQuery BreachList { get; }
    public ClockReportQuery ClockReport { get; }
    public ChildReplayQuery Replay { get; }
    public LateRecordingsQuery LateRecordings { get; }
    public ScorecardQuery Scorecard { get; }

    /// <summary>Whether this open applied Marten's schema (false: the fingerprint of the last apply was current).</summary>
    public bool StoreSchemaApplied { get; private init; }

    /// <summary>The one way in for every write: the API, the importers and the demo.</summary>
    public PathwayAppender Appender => _appender ??= new PathwayAppender(Store, Tenants.For, Clock);

    private PathwayAppender? _appender;

    /// <summary>Opens the database named by <c>CASEPATHWAY_DB</c> (or the given string), creating and migrating it as needed.</summary>
    public static Task<CasePathwayRuntime> OpenAsync(string? connectionString = null, CancellationToken ct = default) =>
        OpenAsync(connectionString ?? Settings.ConnectionString(), TenantDirectory.Load(Settings.TenantFolder()), Settings.Clock(), ct);

    /// <summary>Opens a database with the given tenant configuration and clock (tests pin "now" this way).</summary>
    public static async Task<CasePathwayRuntime> OpenAsync(string connectionString, TenantDirectory tenants, IClock clock, CancellationToken ct = default)
    {
        var projections = CasePathwayProjections.For(tenants);
        var batchSize = CasePathwayProjections.BatchSizeFromEnvironment();
        var (dataSource, documentStore, schemaApplied) = await CasePathwayDatabase.PrepareAndOpenStoreAsync(connectionString, o =>
        {
            CasePathwayProjections.Register(o, projections, batchSize);
            // Only serve starts the daemon (ProjectionDaemonService); commands catch up through ProjectionControl.
            o.Projections.AsyncMode = DaemonMode.HotCold;
        }, ct);
        return new CasePathwayRuntime(connectionString, dataSource, documentStore, projections, tenants, clock) { StoreSchemaApplied = schemaApplied };
    }

    /// <summary>
    /// Brings every projection up to everything committed before the call (read your writes): here when no
    /// server's daemon runs them, otherwise by waiting for it.
    /// </summary>
    public Task CatchUpAsync(CancellationToken ct = default) => Projections.CatchUpAsync(ct);

    public async ValueTask DisposeAsync()
    {
        DocumentStore.Dispose();
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
