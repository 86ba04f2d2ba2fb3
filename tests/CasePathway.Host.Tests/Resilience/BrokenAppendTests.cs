using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Tests.Api;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// An append whose connection dies after its events drew their sequence numbers and before it commits — what a
/// database restart does to an append in flight. Those numbers stay empty: a gap in the log, which Marten's
/// high-water mark passes once it has stayed open a few seconds. (Through Marten's own append, Marten filled them with
/// "tombstone" events in a stream <c>mt_tombstone</c>, which the daemon's batch once read as a child, failing on the
/// unknown type and retrying the same batch for ever — issue 16, item 2; every reader still leaves tombstones out.)
/// Writes must go on being answered, every council's breach list must move on past the gap, and a rebuild must
/// equal what the daemon kept.
/// </summary>
public sealed class BrokenAppendTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    private const string Tenant = "RD";

    [Fact]
    public async Task An_append_broken_mid_commit_leaves_a_gap_that_every_projection_passes_and_a_rebuild_equals_live()
    {
        using var http = server.CreateClient();
        (await Post(http, Guid.NewGuid(), "A1")).ShouldBe(HttpStatusCode.Created);
        await Listed(http, "A1");

        // The append's receipt insert comes after its events in one batch (one transaction): a receipt of the same key,
        // inserted and not yet committed by another session, holds the append there — its events already have
        // their sequence numbers — while the test ends its session as a database restart would.
        var broken = Guid.NewGuid();
        await using var blocker = new NpgsqlConnection(server.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("insert into event_receipts (tenant, id, child, hash) values ($1, $2, 'B1', '\\x00')", blocker, hold))
        {
            insert.Parameters.Add(new() { Value = Tenant });
            insert.Parameters.Add(new() { Value = broken });
            await insert.ExecuteNonQueryAsync();
        }
        var first = Post(http, broken, "B1");
        var waiting = await WaitingOnAsync(blocker, TimeSpan.FromSeconds(20));
        waiting.ShouldNotBeNull("the append waits on the uncommitted receipt, its events written");
        await using (var kill = new NpgsqlCommand($"select pg_terminate_backend({waiting})", blocker, hold)) await kill.ExecuteScalarAsync();
        (await first).ShouldBe(HttpStatusCode.ServiceUnavailable, "a connection lost mid-append is an outage for that request: 503, nothing stored");
        await hold.RollbackAsync();

        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();

        // The client sends the same event again and it is stored; a child breached after that reaches the breach list by itself.
        (await Post(http, broken, "B1")).ShouldBe(HttpStatusCode.Created);
        (await Post(http, Guid.NewGuid(), "C1")).ShouldBe(HttpStatusCode.Created);
        (await Scalar(admin, "select (max(seq_id) - min(seq_id) + 1) - count(*) from casepathway.mt_events"))
            .ShouldBeGreaterThan(0L, "the broken append left a gap in the sequence (else this test proves nothing)");
        await Listed(http, "C1");
        await Listed(http, "B1");
        (await Scalar(admin, $"select count(*) from casepathway.mt_events where tenant_id = '{Tenant}' and type <> 'tombstone'")).ShouldBe(3L, "every accepted event once, the broken one too");

        // Ready again (the projections caught up with the log, past the gap).
        var ready = HttpStatusCode.ServiceUnavailable;
        for (var watch = Stopwatch.StartNew(); ready != HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
            ready = (await http.GetAsync("/health/ready")).StatusCode;
        ready.ShouldBe(HttpStatusCode.OK);

        // A rebuild over the same log (the gap included) gives what the daemon kept.
        var live = await DatabaseRestartTests.DumpAsync(admin);
        await server.App.StopAsync();
        foreach (var projection in server.Runtime.Projections.Projections) await server.Runtime.Projections.RebuildAsync(projection);
        (await DatabaseRestartTests.DumpAsync(admin)).ShouldBe(live);
    }

    /// <summary>The session waiting on a lock the blocker holds.</summary>
    private static async Task<int?> WaitingOnAsync(NpgsqlConnection blocker, TimeSpan limit)
    {
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < limit; await Task.Delay(50))
        {
            await using var cmd = new NpgsqlCommand("select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid)) limit 1", blocker);
            if (await cmd.ExecuteScalarAsync() is int pid) return pid;
        }
        return null;
    }

    private async Task Listed(HttpClient http, string child)
    {
        var listed = false;
        for (var watch = Stopwatch.StartNew(); !listed && watch.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
            listed = (await http.GetStringAsync($"/api/breaches?tenant={Tenant}")).Contains($"\"{child}\"");
        listed.ShouldBeTrue($"{child} reaches the breach list within 20 s (the projections: {string.Join("; ", (await server.Runtime.Projections.StatusAsync()).Select(s => $"{s.Name} at {s.Position} of {s.HighWaterMark}"))})");
    }

    private static async Task<HttpStatusCode> Post(HttpClient http, Guid id, string child)
    {
        using var response = await http.PostAsync("/api/events", new StringContent(JsonSerializer.Serialize(new
        {
            id, tenant = Tenant, child, type = "ContactReceived", occurredAt = "2024-03-01T09:00:00Z", recordedBy = "worker-a",
            data = new { contactId = "K" + id.ToString("N")[..8], route = "mash" },
        }), Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
