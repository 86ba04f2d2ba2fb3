using System.Diagnostics;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Testing;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// The real program killed with SIGKILL half-way through an import and half-way through a projection catch-up,
/// then run again: exactly one copy of every event, each projected once, and read models equal to a rebuild.
/// </summary>
public sealed class KillTests : IAsyncLifetime
{
    private const int Events = 3_000; // six of the importer's batches of 500 (CASEPATHWAY_IMPORT_BATCH_EVENTS): a kill after the first leaves five to do
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Killed_during_an_import_a_rerun_stores_exactly_one_copy_of_every_event_and_read_models_equal_a_rebuild()
    {
        var file = Path.Combine(Path.GetTempPath(), $"casepathway-kill-{Guid.NewGuid():N}.jsonl");
        try
        {
            var lines = new StringBuilder();
            for (var i = 0; i < Events; i++)
                lines.Append($$$"""{"id":"{{{Guid.NewGuid()}}}","tenant":"KI","child":"C{{{i % 1000}}}","type":"ContactReceived","occurredAt":"2022-10-{{{1 + i % 28:00}}}T09:00:00+01:00","recordedBy":"importer","data":{"contactId":"K{{{i}}}","route":"mash"}}""").Append('\n');
            await File.WriteAllTextAsync(file, lines.ToString());

            var import = Start("import", "events", file);
            var stored = await KillWhenAsync(import, "select count(*) from casepathway.mt_events", n => n > 0);
            stored.ShouldBeLessThan(Events, "killed half-way: the file was not yet all stored");

            (await RunAsync("import", "events", file)).ShouldBe(0);
            (await ScalarAsync("select count(*) from casepathway.mt_events")).ShouldBe(Events);
            (await ScalarAsync("select count(distinct id) from casepathway.mt_events")).ShouldBe(Events);
            (await ScalarAsync("select count(*) from event_receipts")).ShouldBe(Events);
            await ReadModelsEqualARebuildAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Killed_during_a_projection_catch_up_a_rerun_projects_every_event_once_and_read_models_equal_a_rebuild()
    {
        const int count = 5_000; // ten of the daemon's batches of 500 (CASEPATHWAY_PROJECTION_BATCH_EVENTS)
        var events = Enumerable.Range(0, count).Select(i => new PathwayEvent(Guid.NewGuid(), "KP", $"C{i % 2000}",
            Domain.Time.Occurrence.At(NodaTime.Instant.FromUtc(2022, 10, 1 + i % 28, 8, 0)), new ContactReceived($"K{i}", ContactRoute.Mash),
            NodaTime.Instant.FromUtc(2022, 10, 1 + i % 28, 8, 0), RecordedBy: "worker-a")).ToList();
        await _db.EventStore.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: false));

        // A reading command catches the projections up itself when no server runs them.
        var reading = Start("breaches", "--tenant", "KP");
        var position = await KillWhenAsync(reading,
            "select coalesce(min(last_seq_id), 0) from casepathway.mt_event_progression where name in ('pathways:All', 'scorecard:All')", p => p > 0);
        position.ShouldBeLessThan((long)count, "killed half-way through the catch-up");

        (await RunAsync("breaches", "--tenant", "KP")).ShouldBe(0);
        (await ScalarAsync("select count(*) from child_timeline")).ShouldBe(count, "each event projected exactly once");
        await ReadModelsEqualARebuildAsync();
    }

    private async Task ReadModelsEqualARebuildAsync()
    {
        var live = await DumpAsync();
        var control = new ProjectionControl(_db.DocumentStore, CasePathwayProjections.For(TenantDirectory.Empty));
        // The test's own store knows no projections; a control over the same database rebuilds them as the CLI does.
        foreach (var projection in control.Projections) await control.RebuildAsync(projection);
        (await DumpAsync()).ShouldBe(live);
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CasePathway.Host.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CASEPATHWAY_DB"] = _db.ConnectionString;
        start.Environment["CASEPATHWAY_NOW"] = "2022-11-01T12:00:00Z";
        start.Environment["CASEPATHWAY_TENANTS"] = Path.Combine(Path.GetTempPath(), "casepathway-no-tenant-files");
        start.Environment["CASEPATHWAY_IMPORT_BATCH_EVENTS"] = "500";
        start.Environment["CASEPATHWAY_PROJECTION_BATCH_EVENTS"] = "500";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<int> RunAsync(params string[] args)
    {
        using var process = Start(args);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return process.ExitCode;
    }

    /// <summary>SIGKILL the moment <paramref name="sql"/> shows the work under way; the value it then had.</summary>
    private async Task<long> KillWhenAsync(Process process, string sql, Func<long, bool> underWay)
    {
        using (process)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                process.HasExited.ShouldBeFalse("the command finished before it could be killed half-way");
                var value = await ScalarAsync(sql);
                if (underWay(value))
                {
                    process.Kill(entireProcessTree: true); // SIGKILL: no clean-up runs
                    await process.WaitForExitAsync();
                    return value;
                }
                await Task.Delay(20);
            }
            throw new TimeoutException("the command did not get under way");
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private async Task<List<string>> DumpAsync()
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "select c::text from clock_versions c order by tenant, child, rule, episode, known_from",
            "select t::text from child_timeline t order by tenant, child, seq",
            "select f::text from indicator_facts f order by 1",
            "select tenant || child from parked_children order by 1",
        })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
