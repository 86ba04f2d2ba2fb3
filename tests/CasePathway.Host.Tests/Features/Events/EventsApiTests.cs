using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CasePathway.Host.Tests.Api;

namespace CasePathway.Host.Tests.Features.Events;

/// <summary>
/// <c>POST /api/events</c> over real HTTP into the real store: one event, batches, idempotent retries,
/// conflicts, If-Match, and every kind of rejection — after which nothing is stored.
/// </summary>
public sealed class EventsApiTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    private readonly HttpClient http = server.CreateClient();

    /// <summary>A child id no other test uses, so tests share the fixture's database safely.</summary>
    private static string NewChild() => "C" + Guid.NewGuid().ToString("N")[..10];

    public static JsonObject Event(string child, string type, string occurredAt, JsonObject data, Guid? id = null, string tenant = "A", string? recordedAt = null)
    {
        var e = new JsonObject
        {
            ["id"] = (id ?? Guid.NewGuid()).ToString(),
            ["tenant"] = tenant,
            ["child"] = child,
            ["type"] = type,
            ["occurredAt"] = occurredAt,
            ["recordedBy"] = "jsmith",
            ["sourceSystem"] = "lcs",
            ["data"] = data,
        };
        if (recordedAt is not null) e["recordedAt"] = recordedAt;
        return e;
    }

    public static JsonObject Contact(string child, string contactId = "K1", string occurredAt = "2024-03-11T09:15:00Z", Guid? id = null, string tenant = "A", string? recordedAt = null) =>
        Event(child, "ContactReceived", occurredAt, new JsonObject { ["contactId"] = contactId, ["route"] = "mash", ["source"] = "police" }, id, tenant, recordedAt);

    public static JsonObject Screened(string child, string contactId = "K1", string occurredAt = "2024-03-12", Guid? id = null, string tenant = "A", string? recordedAt = null) =>
        Event(child, "ContactScreened", occurredAt, new JsonObject { ["contactId"] = contactId, ["outcome"] = "referral" }, id, tenant, recordedAt);

    public static StringContent Body(JsonNode node) => Body(node.ToJsonString());

    public static StringContent Body(string text) => new(text, Encoding.UTF8, "application/json");

    private static JsonArray Array(params JsonNode[] nodes) => new(nodes.Select(n => n.DeepClone()).ToArray());

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<int> StoredCount(string child, string tenant = "A") =>
        (await server.Runtime.Store.ReadStreamAsync(tenant, child)).Count;

    /// <summary>The response is a problem+json with this status naming each field (and nothing was stored).</summary>
    private static async Task<JsonElement> ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var field in fields) named.ShouldContain(field, text);
        return problem;
    }

    private static string FirstError(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    [Fact]
    public async Task One_event_is_appended_and_reported_with_the_streams_version()
    {
        var child = NewChild();
        var response = await http.PostAsync("/api/events", Body(Contact(child)));
        var body = await Json(response);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body.ToString());
        response.Headers.Location!.ToString().ShouldBe($"/api/children/A/{child}");
        body.GetProperty("appended").GetInt32().ShouldBe(1);
        body.GetProperty("alreadyPresent").GetInt32().ShouldBe(0);
        body.GetProperty("streams")[0].GetProperty("version").GetInt64().ShouldBe(1);
        body.GetProperty("events")[0].GetProperty("status").GetString().ShouldBe("appended");
        (await StoredCount(child)).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_of_several_children_is_appended_together()
    {
        var (first, second) = (NewChild(), NewChild());
        var response = await http.PostAsync("/api/events", Body(Array(Contact(first), Screened(first), Contact(second, "K9"))));
        var body = await Json(response);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body.ToString());
        body.GetProperty("appended").GetInt32().ShouldBe(3);
        var versions = body.GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("child").GetString()!, s => s.GetProperty("version").GetInt64());
        versions.ShouldBe(new Dictionary<string, long> { [first] = 2, [second] = 1 }, ignoreOrder: true);
        (await StoredCount(first)).ShouldBe(2);
        (await StoredCount(second)).ShouldBe(1);
    }

    [Fact]
    public async Task Retrying_the_same_batch_stores_nothing_new()
    {
        var child = NewChild();
        var batch = Array(Contact(child), Screened(child));
        (await http.PostAsync("/api/events", Body(batch))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var retry = await http.PostAsync("/api/events", Body(batch));
        var body = await Json(retry);
        retry.IsSuccessStatusCode.ShouldBeTrue(body.ToString());
        body.GetProperty("appended").GetInt32().ShouldBe(0);
        body.GetProperty("alreadyPresent").GetInt32().ShouldBe(2);
        body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ShouldAllBe(s => s == "already-present");
        body.GetProperty("streams")[0].GetProperty("version").GetInt64().ShouldBe(2);
        (await StoredCount(child)).ShouldBe(2);
    }

    [Fact]
    public async Task A_retry_of_an_event_without_recordedAt_is_still_the_same_event()
    {
        var child = NewChild();
        var e = Contact(child);
        (await http.PostAsync("/api/events", Body(e))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Task.Delay(20); // a later receipt time must not make it different content
        var retry = await Json(await http.PostAsync("/api/events", Body(e)));
        retry.GetProperty("alreadyPresent").GetInt32().ShouldBe(1, retry.ToString());
        (await StoredCount(child)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_id_with_different_content_is_a_409_and_nothing_of_the_request_is_stored()
    {
        var child = NewChild();
        var id = Guid.NewGuid();
        (await http.PostAsync("/api/events", Body(Contact(child, id: id)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = NewChild();
        var response = await http.PostAsync("/api/events", Body(Array(Contact(other), Contact(child, "K2", id: id))));
        var problem = await ShouldBeProblem(response, HttpStatusCode.Conflict, "[1].id");
        FirstError(problem, "[1].id").ShouldContain(id.ToString());
        (await StoredCount(child)).ShouldBe(1);
        (await StoredCount(other)).ShouldBe(0);
    }

    [Fact]
    public async Task If_Match_appends_only_at_the_expected_version()
    {
        var child = NewChild();
        var first = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Body(Contact(child)) };
        first.Headers.TryAddWithoutValidation("If-Match", "0");
        (await http.SendAsync(first)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var stale = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Body(Screened(child)) };
        stale.Headers.TryAddWithoutValidation("If-Match", "0");
        var problem = await ShouldBeProblem(await http.SendAsync(stale), HttpStatusCode.Conflict, "If-Match");
        FirstError(problem, "If-Match").ShouldContain("version 1");
        (await StoredCount(child)).ShouldBe(1);

        var current = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Body(Screened(child)) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var body = await Json(await http.SendAsync(current));
        body.GetProperty("streams")[0].GetProperty("version").GetInt64().ShouldBe(2, body.ToString());
    }

    [Fact]
    public async Task If_Match_on_a_batch_of_several_children_is_refused_naming_If_Match()
    {
        var (a, b) = (NewChild(), NewChild());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Body(Array(Contact(a), Contact(b))) };
        request.Headers.TryAddWithoutValidation("If-Match", "0");
        var problem = await ShouldBeProblem(await http.SendAsync(request), HttpStatusCode.BadRequest, "If-Match");
        FirstError(problem, "If-Match").ShouldContain("several children");
        (await StoredCount(a)).ShouldBe(0);
    }

    public static TheoryData<string, string, string> Rejections()
    {
        const string child = "REJECTED";
        return new()
        {
            { "{\"id\": \"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01\",\n  \"tenant\": }", "$", "line 2, position" },
            { Event(child, "ContactTeleported", "2024-03-11", new JsonObject { ["contactId"] = "K1" }).ToJsonString(), "type", "ContactTeleported" },
            { Event(child, "ContactReceived", "2024-03-11", new JsonObject { ["route"] = "mash" }).ToJsonString(), "data.contactId", "" },
            { Contact(child, occurredAt: "11/03/2024").ToJsonString(), "occurredAt", "" },
            { Contact(child, occurredAt: "2024-02-30").ToJsonString(), "occurredAt", "" },
            { Contact("").ToJsonString(), "child", "" },
            { new JsonArray(Contact(child).DeepClone(), Screened(child, occurredAt: "2024-03-08").DeepClone()).ToJsonString(), "[1].occurredAt", "before" },
            { new JsonArray(Enumerable.Range(0, RuntimeServer.MaxEvents + 1).Select(i => (JsonNode)Contact(child, $"K{i}")).ToArray()).ToJsonString(), "events", "at most" },
            { "[]", "$", "empty" },
            { Contact(child, occurredAt: "2030-01-01T09:00:00Z").ToJsonString(), "occurredAt", "in the future" },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Each_rejection_is_problem_json_naming_the_field_and_stores_nothing(string body, string field, string says)
    {
        var response = await http.PostAsync("/api/events", Body(body));
        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest, field);
        FirstError(problem, field).ShouldContain(says);
        (await StoredCount("REJECTED")).ShouldBe(0);
    }

    [Fact]
    public async Task A_stop_before_a_start_already_stored_is_refused()
    {
        var child = NewChild();
        (await http.PostAsync("/api/events", Body(Contact(child, occurredAt: "2024-03-11T09:15:00Z")))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var problem = await ShouldBeProblem(await http.PostAsync("/api/events", Body(Screened(child, occurredAt: "2024-03-08"))), HttpStatusCode.BadRequest, "occurredAt");
        FirstError(problem, "occurredAt").ShouldContain("before its ContactReceived");
        (await StoredCount(child)).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_stores_nothing_and_names_that_event()
    {
        var (good, bad) = (NewChild(), NewChild());
        var batch = Array(Contact(good), Contact(bad), Event(bad, "ContactScreened", "2024-03-12", new JsonObject { ["contactId"] = "K1", ["outcome"] = "maybe" }));
        var problem = await ShouldBeProblem(await http.PostAsync("/api/events", Body(batch)), HttpStatusCode.BadRequest, "[2].data.outcome");
        problem.GetProperty("errors").EnumerateObject().Count().ShouldBe(1);
        (await StoredCount(good)).ShouldBe(0);
        (await StoredCount(bad)).ShouldBe(0);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_naming_the_content_type()
    {
        var response = await http.PostAsync("/api/events", new StringContent(Contact(NewChild()).ToJsonString(), Encoding.UTF8, "text/plain"));
        await ShouldBeProblem(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }
}
