using System.Diagnostics;
using CasePathway.Store;
using CasePathway.Domain.Rules;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using Marten;
using CasePathway.Store.Schema;
using Npgsql;

namespace CasePathway.Testing;

/// <summary>
/// A fresh, migrated database of its own for one test class (xunit <c>IClassFixture&lt;TestDatabase&gt;</c>),
/// dropped afterwards. The server comes from <c>CASEPATHWAY_DB</c>, or from <c>ops/db start</c> when unset.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private DocumentStore? _documentStore;
    private MartenEventStore? _eventStore;

    public TestDatabase()
    {
        var name = "cp_test_" + Guid.NewGuid().ToString("N")[..16];
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString.Value) { Database = name }.ConnectionString;
        DatabaseName = name;
    }

    /// <summary>The server's connection string as configured (its own database name, not this fixture's).</summary>
    public static Lazy<string> ServerConnectionString { get; } = new(FindServer, LazyThreadSafetyMode.ExecutionAndPublication);

    public string DatabaseName { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The test database is not initialised yet.");

    /// <summary>Marten over this database, with whatever the fixture adds in <see cref="ConfigureMarten"/>.</summary>
    public DocumentStore DocumentStore => _documentStore ?? throw new InvalidOperationException("The test database is not initialised yet.");

    public MartenEventStore EventStore => _eventStore ??= new MartenEventStore(DocumentStore);

    /// <summary>The one way in over this database, with the default rulebook unless told otherwise.</summary>
    public PathwayAppender Appender(Func<string, Rulebook>? rulebookFor = null, NodaTime.IClock? clock = null) =>
        new(EventStore, tenant => CasePathway.Domain.Tenants.TenantContext.Of(new CasePathway.Domain.Tenants.TenantSettings(tenant)) with
        {
            Rulebook = rulebookFor?.Invoke(tenant) ?? Rulebook.Default,
        }, clock ?? NodaTime.SystemClock.Instance);

    /// <summary>The one way in over this database, with each tenant's whole configuration (rulebook, calendar, reasons for delay).</summary>
    public PathwayAppender Appender(Func<string, CasePathway.Domain.Tenants.TenantContext> tenantFor, NodaTime.IClock? clock = null) =>
        new(EventStore, tenantFor, clock ?? NodaTime.SystemClock.Instance);

    /// <summary>A fixture's additions to the store options (projections, for one).</summary>
    protected virtual void ConfigureMarten(StoreOptions options) { }

    /// <summary>A connection string to another fresh name on the same server (not created).</summary>
    public static string UnusedDatabase(string prefix = "cp_test_") =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString.Value) { Database = prefix + Guid.NewGuid().ToString("N")[..16] }.ConnectionString;

    public virtual async Task InitializeAsync()
    {
        _dataSource = await CasePathwayDatabase.PrepareAsync(ConnectionString);
        _documentStore = await CasePathwayDatabase.OpenStoreAsync(_dataSource, ConfigureMarten);
    }

    public virtual async Task DisposeAsync()
    {
        _documentStore?.Dispose();
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await Database.DropAsync(ConnectionString);
    }

    private static string FindServer()
    {
        var configured = Environment.GetEnvironmentVariable("CASEPATHWAY_DB");
        if (!string.IsNullOrWhiteSpace(configured)) return configured.Trim();

        var script = Path.Combine(RepositoryPaths.Root, "ops", "db");
        var start = new ProcessStartInfo(script, "start")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} start failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"{script} start printed no connection string.");
    }
}
