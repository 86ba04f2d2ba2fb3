using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// What the API reads after its own writes: the breach list at once, a child's pathway now and as at an
/// instant, clocks, readiness — and never another tenant's children.
/// </summary>
public sealed class ReadApiTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    private readonly HttpClient http = server.CreateClient();

    private static string NewChild() => "R" + Guid.NewGuid().ToString("N")[..10];

    private async Task Post(JsonNode body)
    {
        var response = await http.PostAsync("/api/events", Body(body));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        // Reads no longer catch up per request: the breach list and the scorecard are as the server's daemon
        // has them. Wait as a command would (beside a running daemon it waits, it does not project).
        await server.Runtime.CatchUpAsync();
    }

    private async Task<JsonElement> Get(string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static IEnumerable<string> Children(JsonElement list) =>
        list.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("child").GetString()!);

    [Fact]
    public async Task A_posted_contact_is_on_the_breach_list_once_the_daemon_has_projected_it()
    {
        var child = NewChild();
        // received Friday 8 March 09:15; screened within 72 working hours: due Wednesday 13th 09:15; "now" is Thursday 14th
        await Post(Contact(child, occurredAt: "2024-03-08T09:15:00Z"));
        var list = await Get("/api/breaches?tenant=A&rule=mash-screening&within=0&pageSize=200");
        var row = list.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("child").GetString() == child);
        row.GetProperty("status").GetString().ShouldBe("breached");
        row.GetProperty("due").GetString().ShouldBe("2024-03-13T09:15");
        row.GetProperty("episode").GetString().ShouldBe("K1");
        list.GetProperty("evaluatedAt").GetString().ShouldBe("2024-03-14T10:00:00+00:00");
        list.GetProperty("countsByRule").GetProperty("mash-screening").GetInt32().ShouldBeGreaterThanOrEqualTo(1);

        await Post(Screened(child, occurredAt: "2024-03-14"));
        Children(await Get("/api/breaches?tenant=A&rule=mash-screening&within=0&pageSize=200")).ShouldNotContain(child);
    }

    [Fact]
    public async Task The_scorecard_and_the_board_are_served_as_serve_wires_them()
    {
        var child = NewChild();
        await Post(Contact(child, occurredAt: "2024-03-08T09:15:00Z"));
        var card = await Get("/api/scorecard?tenant=A&month=2024-03");
        var fd1 = card.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "FD1");
        fd1.GetProperty("value").GetDecimal().ShouldBeGreaterThanOrEqualTo(1m, "the contact just posted counts in March");
        var board = await http.GetAsync("/board?tenant=A&month=2024-03");
        board.StatusCode.ShouldBe(HttpStatusCode.OK, await board.Content.ReadAsStringAsync());
        (await board.Content.ReadAsStringAsync()).ShouldNotContain(child, Case.Sensitive, "no child identifiers on the board");
    }

    [Fact]
    public async Task The_breach_list_names_each_bad_parameter()
    {
        var problem = await Get("/api/breaches?asAt=yesterday&within=many", HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ShouldBe(["asAt", "tenant", "within"]);
        var rule = await Get("/api/breaches?tenant=A&rule=no-such-rule", HttpStatusCode.BadRequest);
        rule.GetProperty("errors").GetProperty("rule")[0].GetString()!.ShouldContain("no-such-rule");
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=50.5", "pageSize")]
    [InlineData("sort=due-date", "sort")]
    [InlineData("direction=up", "direction")]
    [InlineData("status=late", "status")]
    public async Task A_bad_paging_sorting_or_status_parameter_is_a_400_naming_it(string query, string field)
    {
        var problem = await Get($"/api/breaches?tenant=A&{query}", HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task The_API_pages_the_list_sorted_and_filtered_with_the_whole_lists_counts()
    {
        var children = Enumerable.Range(0, 7).Select(_ => NewChild()).ToList();
        await Post(new JsonArray(children.Select((c, i) => (JsonNode)Contact(c, tenant: "P", occurredAt: $"2024-03-0{1 + i % 3}T09:15:00Z")).ToArray()));
        var whole = await Get("/api/breaches?tenant=P&within=60&pageSize=200");
        var total = whole.GetProperty("total").GetInt32();
        total.ShouldBeGreaterThanOrEqualTo(7);
        Children(whole).ShouldBe(children, ignoreOrder: true);
        var first = await Get("/api/breaches?tenant=P&within=60&pageSize=3&sort=child");
        first.GetProperty("page").GetInt32().ShouldBe(1);
        first.GetProperty("pageSize").GetInt32().ShouldBe(3);
        first.GetProperty("totalPages").GetInt32().ShouldBe((total + 2) / 3);
        first.GetProperty("total").GetInt32().ShouldBe(total);
        first.GetProperty("sort").GetString().ShouldBe("child");
        first.GetProperty("direction").GetString().ShouldBe("asc");
        first.GetProperty("countsByRule").GetProperty("mash-screening").GetInt32().ShouldBe(total);
        first.GetProperty("countsByTeam").EnumerateObject().Sum(t => t.Value.GetInt32()).ShouldBe(total);
        var paged = new List<string>();
        for (var page = 1; page <= first.GetProperty("totalPages").GetInt32(); page++)
            paged.AddRange(Children(await Get($"/api/breaches?tenant=P&within=60&pageSize=3&sort=child&page={page}")));
        paged.ShouldBe(children.Order(StringComparer.Ordinal));
        Children(await Get("/api/breaches?tenant=P&within=60&pageSize=3&sort=child&direction=desc")).ShouldBe(children.Order(StringComparer.Ordinal).Reverse().Take(3));
        (await Get("/api/breaches?tenant=P&within=60&status=due-soon")).GetProperty("total").GetInt32().ShouldBe(0);
        (await Get("/api/breaches?tenant=P&within=60&status=breached")).GetProperty("total").GetInt32().ShouldBe(total);
        (await Get("/api/breaches?tenant=P&within=60&page=99")).GetProperty("rows").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_large_export_streams_every_row_of_the_list()
    {
        const int count = 600; // three times the largest page, and flushed in more than one piece
        var children = Enumerable.Range(0, count).Select(i => $"X{i:0000}{Guid.NewGuid():N}"[..14]).ToList();
        foreach (var chunk in children.Chunk(20)) // the door's batch limit
        {
            var posted = await http.PostAsync("/api/events", Body(new JsonArray(chunk.Select(c => (JsonNode)Contact(c, tenant: "X", occurredAt: "2024-03-04T09:15:00Z")).ToArray())));
            posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
        }
        await server.Runtime.CatchUpAsync();
        var response = await http.GetAsync("/breaches.csv?tenant=X&within=60&pageSize=25&page=3", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.ShouldBeNull("the export is streamed, not measured first");
        response.Content.Headers.ContentDisposition!.FileName.ShouldNotBeNull().ShouldContain("breaches-X-");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(count + 1, "every row, whatever page the page was on");
        lines.Skip(1).Select(l => l.Split(',')[1]).ShouldBe(children, ignoreOrder: true);
        var api = await Get("/api/breaches?tenant=X&within=60");
        api.GetProperty("total").GetInt32().ShouldBe(count);
        api.GetProperty("rows").GetArrayLength().ShouldBe(50);
    }

    [Fact]
    public async Task A_late_recorded_event_is_in_the_pathway_only_from_its_recordedAt()
    {
        var child = NewChild();
        await Post(new JsonArray(
            Contact(child, occurredAt: "2024-03-11T09:15:00Z", recordedAt: "2024-03-11T09:20:00Z"),
            Screened(child, occurredAt: "2024-03-12", recordedAt: "2024-03-13T15:00:00Z")));

        var now = await Get($"/api/children/A/{child}");
        now.GetProperty("isAsAt").GetBoolean().ShouldBeFalse();
        now.GetProperty("timeline").GetArrayLength().ShouldBe(2);
        now.GetProperty("recordedLater").GetArrayLength().ShouldBe(0);
        var screening = now.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "mash-screening");
        screening.GetProperty("status").GetString().ShouldBe("met");
        now.GetProperty("timeline")[1].GetProperty("data").GetProperty("outcome").GetString().ShouldBe("referral");

        // noon on the 12th: the screening had happened that day but was recorded on the 13th
        var before = await Get($"/api/children/A/{child}?asAt=2024-03-12T12:00:00Z");
        before.GetProperty("isAsAt").GetBoolean().ShouldBeTrue();
        before.GetProperty("asAt").GetString().ShouldBe("2024-03-12T12:00:00+00:00");
        before.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["ContactReceived"]);
        before.GetProperty("recordedLater").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["ContactScreened"]);
        before.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "mash-screening")
            .GetProperty("status").GetString().ShouldBe("running");

        // a London local date-time is read as London time (GMT in March): the same instant
        (await Get($"/api/children/A/{child}?asAt=2024-03-13T15:00")).GetProperty("recordedLater").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_child_and_a_bad_asAt_are_problems_naming_the_field()
    {
        var missing = await Get("/api/children/A/NOBODY", HttpStatusCode.NotFound);
        missing.GetProperty("errors").GetProperty("child")[0].GetString()!.ShouldContain("NOBODY");
        (await Get($"/api/children/A/NOBODY?asAt=soon", HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("asAt", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_children()
    {
        var (alpha, beta) = (NewChild(), NewChild());
        await Post(new JsonArray(Contact(alpha, tenant: "A"), Contact(beta, tenant: "B")));
        (await Get($"/api/children/A/{alpha}")).GetProperty("tenant").GetString().ShouldBe("A");
        await Get($"/api/children/B/{alpha}", HttpStatusCode.NotFound);
        await Get($"/api/children/A/{beta}", HttpStatusCode.NotFound);

        var listB = await Get("/api/breaches?tenant=B&within=60&pageSize=200");
        Children(listB).ShouldContain(beta);
        listB.GetProperty("rows").EnumerateArray().ShouldAllBe(r => r.GetProperty("tenant").GetString() == "B");
        Children(listB).ShouldNotContain(alpha);
        (await Get("/api/clocks?tenant=B")).GetProperty("clocks").EnumerateArray().ShouldAllBe(c => c.GetProperty("tenant").GetString() == "B");
        (await http.GetStringAsync("/breaches.csv?tenant=B&within=60")).ShouldNotContain(alpha);
    }

    [Fact]
    public async Task The_clock_report_lists_every_clock_of_the_tenant_as_at_an_instant()
    {
        var child = NewChild();
        await Post(new JsonArray(Contact(child, recordedAt: "2024-03-11T09:20:00Z"), Screened(child, recordedAt: "2024-03-13T15:00:00Z")));
        var now = await Get($"/api/clocks?tenant=A&child={child}");
        now.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "mash-screening").GetProperty("status").GetString().ShouldBe("met");
        var then = await Get($"/api/clocks?tenant=A&child={child}&asAt=2024-03-12T12:00:00Z");
        then.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "mash-screening").GetProperty("status").GetString().ShouldBe("running");
        (await Get("/api/clocks", HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("tenant", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_API_and_report_clocks_give_elapsed_to_two_places_and_a_cancelled_clocks_to_its_cancel()
    {
        var child = NewChild();
        // Screened 71 h 58 m 48 s of working time after the contact (Mon 09:00 GMT → Thu 08:58:48): one decimal
        // place showed 72. Returned 09:32 BST, interview declined four weeks later to the minute: 672 hours,
        // not the 662.5 counted to the start of the decline's day.
        await Post(new JsonArray(
            Contact(child, occurredAt: "2024-03-11T09:00:00Z"),
            Screened(child, occurredAt: "2024-03-14T08:58:48Z"),
            Event(child, "ChildReturned", "2023-08-01T09:32:00+01:00", new JsonObject { ["missingId"] = "M1" }),
            Event(child, "ReturnInterviewDeclined", "2023-08-29T09:32:00+01:00", new JsonObject { ["missingId"] = "M1" })));

        var clocks = (await Get($"/api/clocks?tenant=A&child={child}")).GetProperty("clocks").EnumerateArray().ToList();
        var screening = clocks.Single(c => c.GetProperty("rule").GetString() == "mash-screening");
        var interview = clocks.Single(c => c.GetProperty("rule").GetString() == "return-interview");
        (screening.GetProperty("status").GetString(), screening.GetProperty("elapsed").GetDecimal()).ShouldBe(("met", 71.98m));
        (interview.GetProperty("status").GetString(), interview.GetProperty("elapsed").GetDecimal()).ShouldBe(("cancelled", 672m));
        (interview.TryGetProperty("stopped", out var stopped) ? stopped.ValueKind : JsonValueKind.Null).ShouldBe(JsonValueKind.Null, "a cancelled clock shows no stop");

        var csv = (await CommandLineRun.RunAsync(server, "report", "clocks", "--tenant", "A", "--format", "csv")).ReplaceLineEndings("\n").Split('\n');
        csv.ShouldContain($"A,{child},mash-screening,K1,2024-03-11T09:00,2024-03-14T09:00,2024-03-14T08:58,met,71.98,working-hours,,");
        csv.ShouldContain($"A,{child},return-interview,M1,2023-08-01T09:32,2023-08-04T09:32,,cancelled,672,elapsed-hours,,");
    }

    [Fact]
    public async Task The_page_export_and_the_CLI_write_the_same_CSV()
    {
        var (first, second) = (NewChild(), NewChild());
        await Post(new JsonArray(Contact(first, occurredAt: "2024-03-08T09:15:00Z"), Contact(second, "K, \"2\"", occurredAt: "2024-03-11T09:15:00Z")));
        var page = await http.GetStringAsync("/breaches.csv?tenant=A&within=3");
        page.ShouldStartWith("tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote\r\n");
        page.ShouldContain($"A,{first},mash-screening,K1,");
        page.ShouldContain($"A,{second},mash-screening,\"K, \"\"2\"\"\",");
        var cli = await CommandLineRun.RunAsync(server, "breaches", "--tenant", "A", "--within", "3", "--format", "csv");
        cli.ShouldBe(page);
    }

    [Fact]
    public async Task Ready_checks_the_database_and_the_projections()
    {
        var ready = await Get("/health/ready");
        ready.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("status").GetString()))
            .ShouldBe([("database", "Healthy"), ("projections", "Healthy"), ("projections advancing", "Healthy"), ("transactions", "Healthy"), ("parked children", "Healthy")], ignoreOrder: true);
    }

    [Fact]
    public async Task The_header_shows_the_selected_tenants_own_name()
    {
        var child = NewChild();
        await Post(new JsonArray(Contact(child, tenant: "A"), Contact(child, tenant: "B")));
        (await http.GetStringAsync("/breaches?tenant=A")).ShouldContain(RuntimeServer.AlphaCouncil);
        (await http.GetStringAsync($"/children/A/{child}")).ShouldContain(RuntimeServer.AlphaCouncil);
        var other = await http.GetStringAsync("/breaches?tenant=B");
        other.ShouldContain(RuntimeServer.FallbackCouncil);
        other.ShouldNotContain(RuntimeServer.AlphaCouncil);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API_with_its_parameters_and_problems()
    {
        var doc = await Get("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        var post = paths.GetProperty("/api/events").GetProperty("post");
        post.GetProperty("responses").EnumerateObject().Select(r => r.Name).ShouldBe(["201", "400", "409", "413", "415", "503"], ignoreOrder: true);
        post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("If-Match");
        var breaches = paths.GetProperty("/api/breaches").GetProperty("get");
        breaches.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .ShouldBe(["tenant", "team", "worker", "rule", "asAt", "within", "status", "sort", "direction", "page", "pageSize"], ignoreOrder: true);
        paths.GetProperty("/api/children/{tenant}/{child}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/clocks", out _).ShouldBeTrue();
    }
}
