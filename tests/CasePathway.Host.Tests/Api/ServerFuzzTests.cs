using System.Net;
using System.Text;
using CasePathway.Tests.Shared;
using CsCheck;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// Property-based fuzzing of the running server on loopback, as the tester who found issue 16 did: random
/// and mutated envelopes and query strings. Whatever arrives, the answer is never a 5xx, and a refused
/// append stores nothing. One request at a time, so that the event count before and after belongs to it.
/// A few hundred requests each; <c>CASEPATHWAY_FUZZ_ITER</c> sends more.
/// </summary>
public sealed class ServerFuzzTests(ServerFuzzTests.SeededServer server) : IClassFixture<ServerFuzzTests.SeededServer>
{
    /// <summary>Tenant A with clocks of every kind of unit, so that a query reaches the calendar arithmetic a bad value could break.</summary>
    public sealed class SeededServer : RuntimeServer
    {
        protected override async Task SeedAsync(CasePathway.Host.Runtime.CasePathwayRuntime runtime)
        {
            var events = new[] { Contact("S1", occurredAt: "2024-03-08T09:15:00Z"), Screened("S2"), Contact("S2", occurredAt: "2024-02-01T09:00:00Z"),
                Event("S3", "ReferralReceived", "2024-03-01", new() { ["referralId"] = "R1" }),
                Event("S3", "StrategyDiscussionHeld", "2024-03-04", new() { ["strategyId"] = "SD1", ["outcome"] = "s47" }),
                Event("S3", "Section47Started", "2024-03-04", new() { ["s47Id"] = "SD1", ["strategyId"] = "SD1" }) };
            var parsed = Domain.Events.EventJson.ParseBatch("[" + string.Join(",", events.Select(e => e.ToJsonString())) + "]").ValueOrThrow();
            await runtime.Store.BulkAppendAsync(CasePathway.Store.PathwayEventMapping.ToStreamAppends(parsed, inferRecordedAt: true));
        }
    }

    private readonly HttpClient http = server.CreateClient();

    private async Task<long> StoredEvents()
    {
        await using var command = server.Runtime.DataSource.CreateCommand("select count(*) from casepathway.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static readonly string[] Envelopes =
    [
        Contact("F1").ToJsonString(),
        Screened("F1").ToJsonString(),
        Event("F2", "StrategyDiscussionHeld", "2024-03-12T10:00:00+00:00",
            new() { ["strategyId"] = "S1", ["outcome"] = "s47", ["attendance"] = new System.Text.Json.Nodes.JsonObject { ["police"] = true } },
            recordedAt: "2024-03-12T11:00:00Z").ToJsonString(),
        "[" + Contact("F3").ToJsonString() + "," + Screened("F3").ToJsonString() + "]",
    ];

    private async Task PostAndCheck(string body)
    {
        var before = await StoredEvents();
        using var response = await http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500) throw new ShouldAssertException($"{(int)response.StatusCode} for {body}: {text}");
        if (!response.IsSuccessStatusCode)
        {
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
            if (await StoredEvents() != before) throw new ShouldAssertException($"{(int)response.StatusCode} but events were stored, for {body}");
        }
    }

    [Fact]
    public async Task Mutated_envelopes_never_get_a_5xx_and_a_refusal_stores_nothing() =>
        await Gen.Int[0, Envelopes.Length - 1].SelectMany(i => Fuzz.Mutated(Envelopes[i]))
            .SampleAsync(PostAndCheck, iter: Fuzz.Iterations(300), threads: 1, seed: Fuzz.Seed);

    [Fact]
    public async Task Any_value_in_any_envelope_field_never_gets_a_5xx() =>
        await Gen.Select(Gen.OneOf("id", "tenant", "child", "type", "occurredAt", "recordedAt", "recordedBy", "sourceKey", "data"), Fuzz.Text)
            .SampleAsync(async (field, value) =>
            {
                var e = Contact("F4");
                e[field] = value;
                await PostAndCheck(e.ToJsonString());
            }, iter: Fuzz.Iterations(300), threads: 1, seed: Fuzz.Seed);

    private static readonly string[] Paths =
    [
        "/api/breaches?tenant={0}&asAt={1}&team={2}&rule={3}&within={4}",
        "/api/clocks?tenant={0}&asAt={1}&child={2}",
        "/api/children/{0}/{2}?asAt={1}",
        "/api/scorecard?tenant={0}&month={1}",
        "/api/scorecard/{2}/children?tenant={0}&month={1}",
        "/breaches?tenant={0}&asAt={1}&worker={2}&rule={3}&within={4}",
        "/breaches.csv?tenant={0}&asAt={1}&team={2}",
        "/children/{0}/{2}?asAt={1}",
        "/board?tenant={0}&month={1}",
    ];

    /// <summary>Values that are nearly right (dates and months at the edges) or anything at all.</summary>
    private static readonly Gen<string> QueryValue = Fuzz.Either(
        (2, Fuzz.Text),
        (2, Gen.OneOf("A", "FD8", "icpc", "5", "-1", "2024-03", "2024-03-31T01:30", "0001-01-01", "9999-12", "2024-13",
            "2024-03-12T12:00:00Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59-18:00", ".", "..", "%", "%00", "%zz")),
        (1, Gen.Select(Gen.Int[1, 9999], Gen.Int[0, 13], (y, m) => $"{y:0000}-{m:00}")),
        (1, Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], Gen.Int[0, 23], (y, m, h) => $"{y:0000}-{m:00}-01T{h:00}:30")),
        (1, Gen.Select(Gen.Int[1, 9999], Gen.Int[-18, 18], (y, o) => $"{y:0000}-06-30T23:59:59{o:+00;-00}:00")));

    /// <summary>Mostly the seeded tenant and child, so that the other values reach the queries behind them.</summary>
    private static readonly Gen<string> Known = Fuzz.Either((4, Gen.OneOf("A", "S3", "FD8")), (1, QueryValue));

    [Fact]
    public async Task Random_query_strings_on_every_route_and_page_never_get_a_5xx() =>
        await Gen.Select(Gen.Int[0, Paths.Length - 1], Gen.Select(Known, QueryValue, Known, QueryValue, QueryValue, (a, b, c, d, e) => new[] { a, b, c, d, e }), Gen.Bool).SampleAsync(async (p, values, page) =>
        {
            var path = string.Format(Paths[p], values.Select(v => (object)Uri.EscapeDataString(v)).ToArray());
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (page) request.Headers.Accept.ParseAdd("text/html");
            using var response = await http.SendAsync(request);
            if ((int)response.StatusCode >= 500)
                throw new ShouldAssertException($"{(int)response.StatusCode} for {path}: {await response.Content.ReadAsStringAsync()}");
        }, iter: Fuzz.Iterations(300), threads: 1, seed: Fuzz.Seed);

    [Fact]
    public async Task Bytes_that_are_not_text_never_get_a_5xx() =>
        await Gen.Byte.Array[0, 300].SampleAsync(async bytes =>
        {
            var before = await StoredEvents();
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync("/api/events", content);
            if ((int)response.StatusCode >= 500) throw new ShouldAssertException($"{(int)response.StatusCode} for {Convert.ToHexString(bytes)}");
            if (!response.IsSuccessStatusCode && await StoredEvents() != before) throw new ShouldAssertException("stored after a refusal");
        }, iter: Fuzz.Iterations(200), threads: 1, seed: Fuzz.Seed);
}
