using System.Diagnostics;
using CasePathway.Domain.Events;
using CasePathway.Host.Runtime;
using CasePathway.Host.Tests.Api;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Pathways;
using CasePathway.Store.Schema;
using CasePathway.Testing;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// The backup and restore docs/operations.md gives, done for real: <c>pg_dump -Fc</c> of a database with events,
/// receipts and read models, <c>pg_restore</c> into a new database, and the copy holds the same events, receipts,
/// read models and projection positions, and takes new events where the original left off.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly string _restored = TestDatabase.UnusedDatabase("cp_restore_");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"casepathway-{Guid.NewGuid():N}.dump");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Database.DropAsync(_restored);
        await _db.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task A_pg_dump_restored_with_pg_restore_into_a_new_database_holds_the_same_events_and_read_models_and_carries_on()
    {
        await using (var runtime = await CasePathwayRuntime.OpenAsync(_db.ConnectionString, TenantDirectory.Empty, new FixedClock(RuntimeServer.Now)))
        {
            var events = new List<PathwayEvent>();
            for (var i = 0; i < 40; i++)
                events.Add(new PathwayEvent(Guid.NewGuid(), i % 3 == 0 ? "BA" : "BB", $"C{i % 11}",
                    Domain.Time.Occurrence.At(RuntimeServer.Now.Minus(NodaTime.Duration.FromHours(100 - i))),
                    new ContactReceived($"K{i}", ContactRoute.Mash), RecordedBy: "worker-a"));
            events.Add(new PathwayEvent(Guid.NewGuid(), events[4].Tenant, events[4].Child, Domain.Time.Occurrence.At(RuntimeServer.Now.Minus(NodaTime.Duration.FromHours(1))),
                new EventRetracted(events[4].Id), RecordedBy: "worker-a"));
            (await runtime.Appender.AppendAsync(events, AppendSource.Live, allOrNothing: true)).Refused.ShouldBeFalse();
            await runtime.CatchUpAsync();
        }
        var original = await SnapshotAsync(_db.ConnectionString);
        original.Single(r => r.StartsWith("events:")).ShouldNotBe("events:");

        var server = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        await RunAsync(PrivateCluster.Binary("pg_dump"), "-h", server.Host!, "-p", server.Port.ToString(), "-U", server.Username ?? "postgres",
            "-Fc", "-f", _file, server.Database!);
        var target = new NpgsqlConnectionStringBuilder(_restored);
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{target.Database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        await RunAsync(PrivateCluster.Binary("pg_restore"), "-h", server.Host!, "-p", server.Port.ToString(), "-U", server.Username ?? "postgres",
            "--no-owner", "--exit-on-error", "-d", target.Database!, _file);

        (await SnapshotAsync(_restored)).ShouldBe(original);

        // The copy opens (no migration pending), takes a new event after the last sequence, and projects it.
        await using (var runtime = await CasePathwayRuntime.OpenAsync(_restored, TenantDirectory.Empty, new FixedClock(RuntimeServer.Now)))
        {
            var next = new PathwayEvent(Guid.NewGuid(), "BA", "NEW", Domain.Time.Occurrence.At(RuntimeServer.Now.Minus(NodaTime.Duration.FromHours(2))),
                new ContactReceived("K-new", ContactRoute.Mash), RecordedBy: "worker-a");
            (await runtime.Appender.AppendAsync([next], AppendSource.Live, allOrNothing: true)).Appended.ShouldBe(1);
            await runtime.CatchUpAsync();
            (await runtime.Projections.StatusAsync()).ShouldAllBe(s => s.Lag == 0);
        }
        await using var check = new NpgsqlConnection(_restored);
        await check.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from child_timeline where child = 'NEW'", check);
        ((long)(await cmd.ExecuteScalarAsync())!).ShouldBe(1L);
    }

    /// <summary>Everything that must survive, as text: events (with sequences and headers), receipts, read models, progression.</summary>
    private static async Task<List<string>> SnapshotAsync(string connectionString)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, sql) in new[]
        {
            ("events", "select string_agg(e::text, E'\\n' order by seq_id) from casepathway.mt_events e"),
            ("streams", "select string_agg(s::text, E'\\n' order by tenant_id, id) from casepathway.mt_streams s"),
            ("receipts", "select string_agg(r::text, E'\\n' order by tenant, id) from event_receipts r"),
            ("clocks", "select string_agg(c::text, E'\\n' order by tenant, child, rule, episode, known_from) from clock_versions c"),
            ("timeline", "select string_agg(t::text, E'\\n' order by tenant, child, seq) from child_timeline t"),
            ("facts", "select string_agg(f::text, E'\\n' order by f::text) from indicator_facts f"),
            ("progression", "select string_agg(name || '=' || last_seq_id, ',' order by name) from casepathway.mt_event_progression"),
            ("migrations", "select string_agg(version::text, ',' order by version) from schema_migrations"),
        })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            rows.Add($"{name}:{await cmd.ExecuteScalarAsync() as string}");
        }
        return rows;
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"{Path.GetFileName(program)}: {await error}");
    }
}
