using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Tests.Api;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// /health/ready tells the truth about the projections: not ready while events wait and no daemon moves them,
/// and not ready while a transaction left open holds Marten's high-water mark back (the breach list would
/// otherwise go stale behind a "Healthy").
/// </summary>
public sealed class ReadinessTests(ReadinessTests.Server server) : IClassFixture<ReadinessTests.Server>
{
    /// <summary>A server whose daemon does not run (as if wedged), with thresholds short enough for a test.</summary>
    public sealed class Server : RuntimeServer
    {
        protected override bool RunProjections => false;

        protected override IEnumerable<KeyValuePair<string, string?>> Configuration =>
        [
            new("CasePathway:Ready:StalledAfterSeconds", "2"),
            new("CasePathway:Ready:MaxTransactionSeconds", "2"),
        ];
    }

    [Fact]
    public async Task Readiness_fails_while_events_wait_and_no_daemon_advances_and_recovers_once_they_are_projected()
    {
        using var http = server.CreateClient();
        var response = await http.PostAsync("/api/events", new StringContent(JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), tenant = "RD", child = "C1", type = "ContactReceived", occurredAt = "2024-03-12T09:15:00Z",
            data = new { contactId = "K1", route = "mash" },
        }), Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        // The first look starts the watch; the projection is then seen standing still with events waiting.
        (await ParkedChildTests.ReadyAsync(http)).Checks["projections"].Status.ShouldBe("Healthy", "one event behind is within the lag limit");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var ready = await ParkedChildTests.ReadyAsync(http);
        ready.Code.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.Checks["projections advancing"].Status.ShouldBe("Unhealthy");
        ready.Checks["projections advancing"].Description.ShouldContain("has not advanced");
        ready.Checks["projections advancing"].Description.ShouldContain("no daemon runs it");

        await server.Runtime.CatchUpAsync(); // no daemon here: the command's catch-up projects
        var after = await ParkedChildTests.ReadyAsync(http);
        after.Checks["projections advancing"].Status.ShouldBe("Healthy");
    }

    [Fact]
    public async Task Readiness_fails_while_a_transaction_stays_open_and_recovers_when_it_ends()
    {
        using var http = server.CreateClient();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var cmd = new NpgsqlCommand("select nextval('casepathway.mt_events_sequence')", connection, tx))
                await cmd.ExecuteScalarAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var ready = await ParkedChildTests.ReadyAsync(http);
            ready.Code.ShouldBe(HttpStatusCode.ServiceUnavailable);
            ready.Checks["transactions"].Status.ShouldBe("Unhealthy");
            ready.Checks["transactions"].Description.ShouldContain("idle in transaction");
            ready.Checks["transactions"].Description.ShouldNotContain("nextval", Case.Insensitive);
            await tx.RollbackAsync();
        }
        (await ParkedChildTests.ReadyAsync(http)).Checks["transactions"].Status.ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_servers_sessions_are_ended_by_PostgreSQL_when_left_idle_in_a_transaction()
    {
        // A session wedged inside a transaction would hold Marten's high-water mark, and so every projection, for good.
        await using var cmd = server.Runtime.DataSource.CreateCommand("show idle_in_transaction_session_timeout");
        (await cmd.ExecuteScalarAsync()).ShouldBe("1min");
    }
}
