using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Host.Tests.Api;
using CasePathway.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// A child whose events the clock engine cannot fold, on a running server: it shows in <c>projections status</c>
/// (text and JSON), <c>projections parked</c>, /health/ready (degraded, naming the council and how many, never
/// the child) and the log (a warning naming sequences and types, never the child); every other child carries
/// on; retracting the event through the API heals it.
/// </summary>
public sealed class ParkedChildTests(ParkedChildTests.Server server) : IClassFixture<ParkedChildTests.Server>
{
    public sealed class Server : RuntimeServer
    {
        private readonly LogList _log = new();

        public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Log => _log.Lines;

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<ILoggerProvider>(_log);
    }

    [Fact]
    public async Task A_parked_child_is_shown_by_status_health_and_the_log_and_a_retraction_through_the_API_heals_it()
    {
        using var http = server.CreateClient();
        var child = "P" + Guid.NewGuid().ToString("N")[..10];
        var good = "G" + Guid.NewGuid().ToString("N")[..10];
        (await Post(http, Contact(child, Guid.NewGuid()), Contact(good, Guid.NewGuid()))).ShouldBe(HttpStatusCode.Created);

        // Past the door, as a database from before the door's limits could hold it: a date the calendar cannot count.
        var poisonId = Guid.NewGuid();
        await server.Runtime.Store.BulkAppendAsync(new[]
        {
            new PathwayEvent(poisonId, "PK", child, Domain.Time.Occurrence.On(new NodaTime.LocalDate(1, 1, 1)),
                new ContactReceived("K-poison", ContactRoute.Mash), RuntimeServer.Now, RecordedBy: "worker-a"),
        }.ToStreamAppends(inferRecordedAt: false));
        await server.Runtime.CatchUpAsync();
        (await Post(http, Contact("N" + Guid.NewGuid().ToString("N")[..10], Guid.NewGuid()))).ShouldBe(HttpStatusCode.Created);
        await server.Runtime.CatchUpAsync();

        // Everyone else carries on.
        var breaches = await http.GetStringAsync("/api/breaches?tenant=PK");
        breaches.ShouldContain(good);

        // The parked child's own record answers with a problem saying so, never a 500.
        var own = await http.GetAsync($"/api/children/PK/{child}");
        var ownBody = await own.Content.ReadAsStringAsync();
        own.StatusCode.ShouldBe(HttpStatusCode.Conflict, ownBody);
        ownBody.ShouldContain("cannot count");
        ownBody.ShouldContain("parked");

        var ready = await ReadyAsync(http);
        var parked = ready.Checks["parked children"];
        parked.Status.ShouldBe("Degraded");
        parked.Description.ShouldContain("1 child");
        parked.Description.ShouldContain("PK: 1");
        parked.Description.ShouldNotContain(child, Case.Insensitive);
        ready.Status.ShouldBe("Degraded");
        ready.Code.ShouldBe(HttpStatusCode.OK, "a parked child degrades the server; it still serves every other child");

        var warning = server.Log.Where(l => l.Level == LogLevel.Warning && l.Message.Contains("parked a child of council PK")).ToList();
        warning.ShouldNotBeEmpty();
        warning.ShouldAllBe(l => !l.Message.Contains(child) && !l.Message.Contains("K-poison") && l.Message.Contains("ContactReceived"));

        var status = await CommandLineRun.RunAsync(server, "projections", "status");
        status.ShouldContain("parked children");
        status.ShouldContain("projections parked");
        var json = JsonDocument.Parse(await CommandLineRun.RunAsync(server, "projections", "status", "--format", "json")).RootElement;
        json.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pathways").GetProperty("parked").GetInt32().ShouldBe(1);

        var list = await CommandLineRun.RunAsync(server, "projections", "parked", "--tenant", "PK");
        list.ShouldContain(child);
        list.ShouldContain("calendar");
        (await CommandLineRun.RunAsync(server, "projections", "parked", "--tenant", "OTHER")).ShouldNotContain(child);

        // The contract's retraction through the API: the child folds again and is unparked, by itself.
        (await Post(http, new { id = Guid.NewGuid(), tenant = "PK", child, type = "EventRetracted", occurredAt = "2024-03-13T10:00:00Z", recordedBy = "admin", data = new { retractedId = poisonId } }))
            .ShouldBe(HttpStatusCode.Created);
        await server.Runtime.CatchUpAsync();
        (await server.Runtime.Projections.ParkedAsync("PK")).ShouldBeEmpty();
        (await ReadyAsync(http)).Checks["parked children"].Status.ShouldBe("Healthy");
        (await http.GetStringAsync("/api/breaches?tenant=PK")).ShouldContain(child);
        // and the child's own record counts again once the retraction is known, the poison shown as retracted. (This
        // server's clock is fixed in 2024 while a live append is recorded at the database's receipt time, so the
        // record is asked as at a minute from the real now.)
        var afterRetraction = System.Net.WebUtility.UrlEncode(DateTime.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var healed = await http.GetAsync($"/api/children/PK/{child}?asAt={afterRetraction}");
        var healedBody = await healed.Content.ReadAsStringAsync();
        healed.StatusCode.ShouldBe(HttpStatusCode.OK, healedBody);
        var poisonEntry = JsonDocument.Parse(healedBody).RootElement.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == poisonId);
        poisonEntry.GetProperty("retracted").GetBoolean().ShouldBeTrue();
        // before the retraction was known it still cannot be counted: the replay does not rewrite what was known then
        (await http.GetAsync($"/api/children/PK/{child}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    private static object Contact(string child, Guid id) => new
    {
        id, tenant = "PK", child, type = "ContactReceived", occurredAt = "2024-03-12T09:15:00Z", recordedBy = "worker-a",
        data = new { contactId = "K" + id.ToString("N")[..6], route = "mash" },
    };

    private static async Task<HttpStatusCode> Post(HttpClient http, params object[] events)
    {
        var body = events.Length == 1 ? JsonSerializer.Serialize(events[0]) : JsonSerializer.Serialize(events);
        var response = await http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode == HttpStatusCode.Created ? response.StatusCode : throw new ShouldAssertException(await response.Content.ReadAsStringAsync());
    }

    public sealed record Ready(HttpStatusCode Code, string Status, IReadOnlyDictionary<string, (string Status, string Description)> Checks);

    public static async Task<Ready> ReadyAsync(HttpClient http)
    {
        var response = await http.GetAsync("/health/ready");
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new Ready(response.StatusCode, root.GetProperty("status").GetString()!,
            root.GetProperty("checks").EnumerateArray().ToDictionary(
                c => c.GetProperty("name").GetString()!,
                c => (c.GetProperty("status").GetString()!, c.GetProperty("description").GetString() ?? "")));
    }
}
