using CasePathway.Host.Tests.Security;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Runtime;
using CasePathway.Host.Tests.Api;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// PostgreSQL stopped and started under a server taking writes and reads (its own cluster, so nothing else is
/// disturbed): clients get 503 with Retry-After as problem+json while it is gone, never a 500; readiness says
/// so; within 30 s of its return the server accepts writes and the breach list is current again by itself, no
/// session is left idle in a transaction, and every accepted event is stored exactly once.
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private const string Tenant = "RS";
    private PrivateCluster _cluster = null!;
    private CasePathwayRuntime _runtime = null!;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PrivateCluster.StartAsync();
        _runtime = await CasePathwayRuntime.OpenAsync(_cluster.ConnectionString, TenantDirectory.Empty, new FixedClock(RuntimeServer.Now));
        _app = WebApp.Build(new WebAppSettings
        {
            Urls = "http://127.0.0.1:0",
            Configuration = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Critical" },
        }, services => services.AddCasePathwayRuntime(_runtime));
        await _app.StartAsync();
        _address = new Uri(WebApp.Addresses(_app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_runtime is not null) await _runtime.DisposeAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    private sealed record Answer(DateTime At, string What, HttpStatusCode Code, string? RetryAfter, string? ContentType, string Body);

    [Fact]
    public async Task A_database_restart_gives_503s_with_Retry_After_then_recovers_within_30_s_losing_and_doubling_nothing()
    {
        // signed in as a feed and reader of this council, with a token from the server itself (taken before the outage)
        var token = await TestAccess.TokenAsync(_app!, _address!, councils: [Tenant]);
        using var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(30) }.WithToken(token);
        var answers = new ConcurrentQueue<Answer>();
        var accepted = new ConcurrentDictionary<Guid, bool>();
        using var stop = new CancellationTokenSource();

        async Task<Answer> Send(string what, Func<Task<HttpResponseMessage>> request)
        {
            try
            {
                using var response = await request();
                var answer = new Answer(DateTime.UtcNow, what, response.StatusCode, response.Headers.RetryAfter?.ToString(),
                    response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
                answers.Enqueue(answer);
                return answer;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                var answer = new Answer(DateTime.UtcNow, what, 0, null, null, e.GetType().Name);
                answers.Enqueue(answer);
                return answer;
            }
        }

        var n = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid();
                var body = Contact(id, $"W{Interlocked.Increment(ref n) % 23}", "2024-03-13T09:00:00Z");
                // A client that gets no 201 sends the same event again (same id): at most once is the store's job.
                while (true)
                {
                    var answer = await Send("write", () => http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json")));
                    if (answer.Code == HttpStatusCode.Created) { accepted[id] = true; break; }
                    if (stop.IsCancellationRequested) break;
                    await Task.Delay(200);
                }
                await Task.Delay(50);
            }
        });
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Send("read", () => http.GetAsync($"/api/breaches?tenant={Tenant}"));
                await Send("ready", () => http.GetAsync("/health/ready"));
                await Task.Delay(250);
            }
        });

        var warm = Stopwatch.StartNew();
        while (answers.Count(a => a.What == "write" && a.Code == HttpStatusCode.Created) < 5 && warm.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(100);
        answers.ShouldContain(a => a.What == "write" && a.Code == HttpStatusCode.Created,
            "writes succeed before the restart: " + string.Join(" | ", answers.Take(3).Select(a => $"{a.What} {a.Code} {a.Body}")));

        // CASEPATHWAY_SOAK_RESTARTS=N restarts N times in a row (docs/operations.md, Soak runs); CI restarts once.
        var restarts = int.TryParse(Environment.GetEnvironmentVariable("CASEPATHWAY_SOAK_RESTARTS"), out var r) && r > 1 ? r : 1;
        var outages = new List<(DateTime Down, DateTime Up)>();
        for (var round = 0; round < restarts; round++)
        {
            await _cluster.StopAsync();
            var down = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var up = DateTime.UtcNow;
            await _cluster.StartAgainAsync();
            var back = Stopwatch.StartNew();

            // Writes are accepted again, and a newly breached child reaches the breach list by itself.
            while (!answers.Any(a => a.What == "write" && a.Code == HttpStatusCode.Created && a.At > up) && back.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(100);
            answers.ShouldContain(a => a.What == "write" && a.Code == HttpStatusCode.Created && a.At > up, "writes accepted within 30 s of the database's return");
            var marker = Guid.NewGuid();
            var markerChild = "M" + marker.ToString("N")[..8];
            HttpStatusCode posted = 0;
            while (posted != HttpStatusCode.Created && back.Elapsed < TimeSpan.FromSeconds(30))
                posted = (await Send("write", () => http.PostAsync("/api/events", new StringContent(Contact(marker, markerChild, "2024-03-01T09:00:00Z"), Encoding.UTF8, "application/json")))).Code;
            posted.ShouldBe(HttpStatusCode.Created);
            accepted[marker] = true;
            var listed = false;
            while (!listed && back.Elapsed < TimeSpan.FromSeconds(30))
            {
                listed = (await http.GetStringAsync($"/api/breaches?tenant={Tenant}")).Contains(markerChild);
                if (!listed) await Task.Delay(250);
            }
            listed.ShouldBeTrue($"the breach list is current again within 30 s of the database's return (after {back.Elapsed.TotalSeconds:0.0} s: not yet)");
            var ready = false;
            while (!ready && back.Elapsed < TimeSpan.FromSeconds(30))
            {
                ready = (await Send("ready", () => http.GetAsync("/health/ready"))).Code == HttpStatusCode.OK;
                if (!ready) await Task.Delay(250);
            }
            ready.ShouldBeTrue("ready again within 30 s");
            back.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
            outages.Add((down, up));
        }

        await stop.CancelAsync();
        await Task.WhenAll(writer, reader);

        var all = answers.ToList();
        all.ShouldNotContain(a => (int)a.Code >= 500 && a.Code != HttpStatusCode.ServiceUnavailable,
            "never a 500: " + string.Join(" | ", all.Where(a => (int)a.Code >= 500 && a.Code != HttpStatusCode.ServiceUnavailable).Take(3).Select(a => $"{a.What} {a.Code} {a.Body}")));
        var outage = all.Where(a => outages.Any(o => a.At > o.Down.AddSeconds(1) && a.At < o.Up)).ToList();
        outage.Where(a => a.What == "write").ShouldNotBeEmpty();
        outage.Where(a => a.What is "write" or "read").ShouldAllBe(a => a.Code == HttpStatusCode.ServiceUnavailable && a.RetryAfter != null && a.ContentType == "application/problem+json",
            string.Join(" | ", outage.Where(a => a.What is "write" or "read" && a.Code != HttpStatusCode.ServiceUnavailable).Take(3).Select(a => $"{a.What} {a.Code} {a.Body}")));
        outage.Where(a => a.What == "ready").ShouldNotBeEmpty();
        outage.Where(a => a.What == "ready").ShouldAllBe(a => a.Code == HttpStatusCode.ServiceUnavailable, "readiness is honest while the database is gone");

        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        (await Scalar(connection, "select count(*) from pg_stat_activity where state like 'idle in transaction%' and now() - state_change > interval '5 seconds'"))
            .ShouldBe(0L, "no session left idle in a transaction");
        (await Scalar(connection, $"select count(*) from casepathway.mt_events where tenant_id = '{Tenant}'")).ShouldBe((long)accepted.Count, "every accepted event stored, once");
        (await Scalar(connection, $"select count(*) - count(distinct id) from casepathway.mt_events where tenant_id = '{Tenant}'")).ShouldBe(0L);

        // The read models the daemon kept through the restart equal a rebuild.
        await _runtime.CatchUpAsync();
        var live = await DumpAsync(connection);
        await _app.StopAsync();
        foreach (var projection in _runtime.Projections.Projections) await _runtime.Projections.RebuildAsync(projection);
        (await DumpAsync(connection)).ShouldBe(live);
    }

    private static string Contact(Guid id, string child, string occurredAt) => JsonSerializer.Serialize(new
    {
        id, tenant = Tenant, child, type = "ContactReceived", occurredAt, recordedBy = "worker-a",
        data = new { contactId = "K" + id.ToString("N")[..8], route = "mash" },
    });

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Every row of the read models, in order, to compare live processing with a rebuild.</summary>
    internal static async Task<List<string>> DumpAsync(NpgsqlConnection connection)
    {
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "select c::text from clock_versions c order by tenant, child, rule, episode, known_from",
            "select t::text from child_timeline t order by tenant, child, seq",
            "select f::text from indicator_facts f order by 1",
        })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
