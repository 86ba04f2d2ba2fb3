using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// Limits at the door over real HTTP (issue 16): each refused value is a 400 problem+json naming the field
/// or parameter, nothing is stored, and no route or page answers 500 to a value it cannot use.
/// </summary>
public sealed class DoorTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    private readonly HttpClient http = server.CreateClient();

    private async Task<long> StoredEvents()
    {
        await using var command = server.Runtime.DataSource.CreateCommand("select count(*) from casepathway.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A contact whose one field (<c>data.source</c> for data) is set to raw JSON text.</summary>
    private static string ContactWith(string field, string json)
    {
        var e = Contact("D" + Guid.NewGuid().ToString("N")[..8], occurredAt: "2024-03-11T09:15:00Z");
        var parts = field.Split('.');
        var target = parts.Length == 2 ? (JsonObject)e[parts[0]]! : e;
        target[parts[^1]] = "__VALUE__";
        return e.ToJsonString().Replace("\"__VALUE__\"", json);
    }

    private static string Quoted(string value) => JsonSerializer.Serialize(value);

    public static TheoryData<string, string, string> RefusedEvents => new()
    {
        { "occurredAt", Quoted("0001-01-01"), "before 1970-01-01" },
        { "occurredAt", Quoted("1900-01-01T00:00:00Z"), "before 1970-01-01" },
        { "occurredAt", Quoted("2024-03-15"), "in the future" },
        { "recordedAt", Quoted("2024-03-14T10:06:00Z"), "in the future" },
        { "tenant", Quoted(new string('A', 65)), "at most 64" },
        { "tenant", Quoted("A\0"), "NUL" },
        { "child", Quoted("a/b"), "'/'" },
        { "child", Quoted(".."), "'..'" },
        { "child", Quoted("  "), "must not be blank" },
        { "child", Quoted(new string('C', 65)), "at most 64" },
        { "recordedBy", Quoted(new string('j', 201)), "at most 200" },
        { "sourceSystem", Quoted("lcs\u0007"), "control character" },
        { "sourceKey", "\"K\\ud800\"", "surrogate" },
        { "correlationId", Quoted(new string('c', 201)), "at most 200" },
        { "data.contactId", Quoted(new string('K', 201)), "at most 200" },
        { "data.source", Quoted(new string('p', 1001)), "at most 1000" },
        { "data.source", Quoted("police\0"), "NUL" },
        { "id", Quoted(Guid.Empty.ToString()), "nil UUID" },
    };

    [Theory]
    [MemberData(nameof(RefusedEvents))]
    public async Task A_value_beyond_a_limit_is_a_400_naming_the_field_and_nothing_is_stored(string field, string json, string says)
    {
        var before = await StoredEvents();
        var response = await http.PostAsync("/api/events", Body(ContactWith(field, json)));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        errors.GetProperty(field)[0].GetString()!.ShouldContain(says, Case.Sensitive, text);
        (await StoredEvents()).ShouldBe(before);
    }

    [Fact]
    public async Task In_a_batch_the_refused_event_is_named_by_its_index()
    {
        var batch = "[" + Contact("D" + Guid.NewGuid().ToString("N")[..8]).ToJsonString() + "," + ContactWith("child", Quoted("x?y")) + "]";
        var response = await http.PostAsync("/api/events", Body(batch));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["[1].child"]);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_refused_rather_than_stored_with_replacement_characters()
    {
        var json = Encoding.UTF8.GetBytes(Contact("D" + Guid.NewGuid().ToString("N")[..8]).ToJsonString().Replace("police", "poli__"));
        var at = Array.IndexOf(json, (byte)'_');
        json[at] = 0xC3; // a lead byte without its continuation
        json[at + 1] = 0x28;
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new("application/json");
        var before = await StoredEvents();
        var response = await http.PostAsync("/api/events", content);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("not valid UTF-8");
        (await StoredEvents()).ShouldBe(before);
    }

    [Fact]
    public async Task The_location_of_the_longest_child_id_is_bounded_by_the_limits()
    {
        var child = "Z" + new string('9', 63);
        var response = await http.PostAsync("/api/events", Body(Contact(child, tenant: new string('A', 1))));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.ShouldBe($"/api/children/A/{child}");
    }

    public static TheoryData<string, string> RefusedQueries => new()
    {
        { "/api/breaches?tenant=A&asAt=0001-01-01T00:00", "asAt" },
        { "/api/breaches?tenant=A&asAt=9999-12-31T23:59:59Z", "asAt" },
        { "/api/breaches?tenant=A&asAt=2024-03-31T01:30", "asAt" },
        { "/api/breaches?tenant=%00", "tenant" },
        { "/api/breaches?tenant=A%2FB", "tenant" },
        { $"/api/breaches?tenant={new string('A', 5000)}", "tenant" },
        { "/api/breaches?tenant=A&team=%00", "team" },
        { $"/api/breaches?tenant=A&worker={new string('w', 1001)}", "worker" },
        { "/api/breaches?tenant=A&rule=%07", "rule" },
        { "/api/clocks?tenant=A&asAt=0001-01-01T00:00:00Z", "asAt" },
        { "/api/clocks?tenant=%00", "tenant" },
        { "/api/clocks?tenant=A&child=%00", "child" },
        { "/api/children/A/C1?asAt=0001-01-01", "asAt" },
        { "/api/children/A/C1?asAt=2024-03-31T01:00", "asAt" },
        { $"/api/children/A/{new string('C', 65)}", "child" },
        { "/api/children/A/C%20D", "child" },
        { "/api/children/%01/C1", "tenant" },
        { "/api/scorecard?tenant=A&month=9999-12", "month" },
        { "/api/scorecard?tenant=A&month=0001-01", "month" },
        { "/api/scorecard?tenant=%00&month=2024-03", "tenant" },
        { $"/api/scorecard?tenant=A&month={new string('2', 5000)}", "month" },
        { "/api/scorecard/FD8/children?tenant=A&month=9999-12", "month" },
        { "/api/scorecard/FD8/children?tenant=A%00&month=2024-03", "tenant" },
        { "/breaches.csv?tenant=A&asAt=0001-01-01T00:00", "asAt" },
    };

    [Theory]
    [MemberData(nameof(RefusedQueries))]
    public async Task A_query_value_no_event_could_hold_is_a_400_naming_the_parameter(string path, string parameter)
    {
        var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldContain(parameter, text);
        text.Length.ShouldBeLessThan(2000, "a refused value is quoted shortly, if at all");
    }

    public static TheoryData<string, string> RefusedPages => new()
    {
        { "/breaches?tenant=A&asAt=0001-01-01T00:00", "asAt" },
        { "/breaches?tenant=%00", "tenant" },
        { "/breaches?tenant=A&team=%00", "team" },
        { "/children/A/C1?asAt=9999-12-31T00:00", "asAt" },
        { "/children/A/C1?asAt=2024-03-31T01:30", "asAt" },
        { $"/children/A/{new string('C', 65)}", "child" },
        { "/board?tenant=A&month=9999-12", "month" },
        { "/board?tenant=%00&month=2024-03", "tenant" },
    };

    [Theory]
    [MemberData(nameof(RefusedPages))]
    public async Task A_page_asked_for_a_value_no_event_could_hold_says_which_and_answers_400(string path, string parameter)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        html.ShouldContain($"href=\"#{parameter}\"");
    }

    [Fact]
    public async Task A_spring_forward_as_at_says_the_time_does_not_exist()
    {
        var response = await http.GetAsync("/api/breaches?tenant=A&asAt=2024-03-31T01:30");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("errors").GetProperty("asAt")[0].GetString()!.ShouldStartWith("2024-03-31T01:30 does not exist in London");
    }
}
