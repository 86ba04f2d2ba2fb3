using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CasePathway.Host.Security;
using CasePathway.Host.Tests.Api;
using CasePathway.Host.Tests.Security;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Features.BreachReasons;

/// <summary>
/// Council A: children R1 and R3 each with an S47 enquiry started Thu 1 Feb 2024, whose ICPC clock (due Thu 22 Feb)
/// breached on Fri 23 Feb; R2's ICPC was held on 5 Feb (met). Council B: its own R1. "Now" is 14 Mar 2024 10:00.
/// </summary>
public sealed class ReasonServer : RuntimeServer
{
    public readonly Dictionary<string, string> Tokens = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var feed = CreateClient();
        JsonObject S47(string tenant, string child) =>
            Event(child, "Section47Started", "2024-02-01T10:00:00Z", new JsonObject { ["s47Id"] = "S-" + child }, tenant: tenant, recordedAt: "2024-02-01T10:00:00Z");
        var icpc = Event("R2", "InitialChildProtectionConferenceHeld", "2024-02-05T10:00:00Z", new JsonObject { ["s47Id"] = "S-R2" }, recordedAt: "2024-02-05T10:00:00Z");
        var response = await feed.PostAsync("/api/events", Body(new JsonArray(S47("A", "R1"), S47("A", "R2"), icpc, S47("A", "R3"), S47("B", "R1"))));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await Runtime.CatchUpAsync();
        foreach (var role in Roles.All) Tokens[role] = await TestAccess.TokenAsync(App, BaseAddress, [role], ["A"], role == Roles.DutyManager ? ["T1"] : []);
        Tokens["B:" + Roles.DutyManager] = await TestAccess.TokenAsync(App, BaseAddress, [Roles.DutyManager], ["B"], ["T1"]);
    }

    /// <summary>A client holding cookies (the antiforgery token's) and asking for pages, without following redirects.</summary>
    public HttpClient Browser(string who)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress }
            .WithToken(Tokens[who]);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }
}

public sealed class BreachReasonHttpTests(ReasonServer server) : IClassFixture<ReasonServer>
{
    private const string Page = "/children/A/R1/reason?rule=icpc&episode=S-R1&returnUrl=%2Fbreaches%3Ftenant%3DA";

    private static JsonObject Reason(string child, string episode, string reason, string? note = null, string tenant = "A") =>
        Event(child, "BreachReasonRecorded", "2024-03-14T09:00:00Z",
            new JsonObject { ["rule"] = "icpc", ["episode"] = episode, ["reason"] = reason, ["note"] = note }, tenant: tenant);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, bool withToken = true)
    {
        var form = await client.GetStringAsync(url);
        if (withToken) fields["__RequestVerificationToken"] = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_case_system_s_feed_sends_a_reason_and_a_bad_one_is_a_400_naming_the_field()
    {
        using var feed = server.CreateClient();
        (await feed.PostAsync("/api/events", Body(Reason("R3", "S-R3", "awaiting-partner", "police")))).StatusCode.ShouldBe(HttpStatusCode.Created);

        foreach (var (body, field) in new[]
        {
            (Reason("R3", "S-R3", "holiday"), "data.reason"),
            (Reason("R3", "S-R9", "staffing"), "data.episode"),
            (Reason("R2", "S-R2", "staffing"), "data.episode"), // met: no delay to explain
            (Reason("R3", "S-R3", "other"), "data.note"),
        })
        {
            var response = await feed.PostAsync("/api/events", Body(body));
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
            JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe([field], text);
        }
        var rule = Reason("R3", "S-R3", "staffing");
        rule["data"]!["rule"] = "no-such-rule";
        (await (await feed.PostAsync("/api/events", Body(rule))).Content.ReadAsStringAsync()).ShouldContain("data.rule");
        (await server.Runtime.Store.ReadStreamAsync("A", "R3")).Count(e => e.Type == "BreachReasonRecorded").ShouldBe(1);
    }

    [Fact]
    public async Task A_duty_manager_records_a_reason_on_the_page_and_the_list_csv_replay_and_board_show_it()
    {
        using var dm = server.Browser(Roles.DutyManager);
        var form = await dm.GetStringAsync(Page);
        form.ShouldContain("id=\"reason-staffing\"");
        form.ShouldContain("Initial child protection conference");

        (await PostFormAsync(dm, Page, new() { ["reason"] = "staffing" }, withToken: false)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "no antiforgery token");
        var blank = await PostFormAsync(dm, Page, new() { ["rule"] = "icpc", ["episode"] = "S-R1" });
        blank.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await blank.Content.ReadAsStringAsync()).ShouldContain("Choose the reason for the delay");
        var other = await PostFormAsync(dm, Page, new() { ["rule"] = "icpc", ["episode"] = "S-R1", ["reason"] = "other", ["note"] = "  " });
        other.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await other.Content.ReadAsStringAsync()).ShouldContain("needs a note");
        var unknown = await PostFormAsync(dm, Page, new() { ["rule"] = "icpc", ["episode"] = "S-R1", ["reason"] = "holiday" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("is not one of council A&#x27;s reasons for delay");
        (await server.Runtime.Store.ReadStreamAsync("A", "R1")).ShouldNotContain(e => e.Type == "BreachReasonRecorded", "nothing refused was stored");

        var recorded = await PostFormAsync(dm, Page, new()
        {
            ["rule"] = "icpc", ["episode"] = "S-R1", ["reason"] = "staffing", ["note"] = "Two social workers\r\noff sick", ["returnUrl"] = "/breaches?tenant=A",
        });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Redirect, await recorded.Content.ReadAsStringAsync());
        recorded.Headers.Location!.ToString().ShouldBe("/breaches?tenant=A");
        var stored = (await server.Runtime.Store.ReadStreamAsync("A", "R1")).Single(e => e.Type == "BreachReasonRecorded");
        stored.RecordedBy.ShouldNotBeNullOrEmpty();
        stored.SourceSystem.ShouldBe("casepathway");

        // the page returned to already shows it: the projections were waited for
        using var qa = server.CreateAnonymousClient().WithToken(server.Tokens[Roles.QaLead]);
        var list = JsonDocument.Parse(await qa.GetStringAsync("/api/breaches?tenant=A")).RootElement;
        var row = list.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("child").GetString() == "R1");
        row.GetProperty("reason").GetProperty("code").GetString().ShouldBe("staffing");
        row.GetProperty("reason").GetProperty("note").GetString().ShouldBe("Two social workers off sick");
        using var qaPage = server.Browser(Roles.QaLead);
        (await qaPage.GetStringAsync("/breaches?tenant=A")).ShouldContain("data-reason=\"staffing\"");

        var csv = (await qa.GetStringAsync("/breaches.csv?tenant=A")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        csv[0].ShouldBe("tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote");
        csv.Single(l => l.StartsWith("A,R1,icpc,")).ShouldEndWith(",staffing,Two social workers off sick");

        // the child's replay: now, and as at an instant before it was recorded
        var child = JsonDocument.Parse(await qa.GetStringAsync("/api/children/A/R1")).RootElement;
        child.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "icpc")
            .GetProperty("reason").GetProperty("label").GetString().ShouldBe("Staffing: no worker was available");
        var before = JsonDocument.Parse(await qa.GetStringAsync("/api/children/A/R1?asAt=2024-03-14T09:59")).RootElement;
        var clockThen = before.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "icpc");
        (!clockThen.TryGetProperty("reason", out var then) || then.ValueKind == JsonValueKind.Null).ShouldBeTrue(clockThen.ToString());
        (await qaPage.GetStringAsync("/children/A/R1")).ShouldContain("data-reason=\"staffing\"");
        (await qaPage.GetStringAsync("/children/A/R1?asAt=2024-03-14T09:59")).ShouldNotContain("data-reason=\"staffing\"");

        // the board: February's breaches by reason (R1 and R3 breached on 23 Feb; R2 was met)
        using var board = server.Browser(Roles.Board);
        var boardPage = await board.GetStringAsync("/board?tenant=A&month=2024-02");
        Regex.Match(boardPage, "id=\"breach-reasons-total\">(\\d+)<").Groups[1].Value.ShouldBe("2");
        Regex.Match(boardPage, "data-reason=\"staffing\">\\s*<th[^>]*>[^<]*</th>\\s*<td[^>]*>(\\d+)<").Groups[1].Value.ShouldBe("1");
        boardPage.ShouldNotContain("S-R1", Case.Sensitive, "the board names no child");
    }

    [Fact]
    public async Task Only_duty_managers_and_qa_leads_of_the_council_reach_the_page()
    {
        foreach (var (who, expected) in new[]
        {
            (Roles.DutyManager, HttpStatusCode.OK), (Roles.QaLead, HttpStatusCode.OK),
            (Roles.Board, HttpStatusCode.Forbidden), (Roles.Feed, HttpStatusCode.Forbidden), (Roles.Admin, HttpStatusCode.Forbidden),
            ("B:" + Roles.DutyManager, HttpStatusCode.NotFound),
        })
        {
            using var client = server.Browser(who);
            (await client.GetAsync(Page)).StatusCode.ShouldBe(expected, who);
            // and none of them may post to it either
            if (expected != HttpStatusCode.OK)
                (await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "staffing" }))).StatusCode.ShouldBe(expected, who);
        }
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        anonymous.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        (await anonymous.GetAsync(Page)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "sign in first");

        using var dm = server.Browser(Roles.DutyManager);
        var missing = await dm.GetAsync("/children/A/R1/reason?rule=icpc&episode=S-XX");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("has no icpc clock for episode");
        (await dm.GetAsync("/children/A/R1/reason?rule=icpc")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // another council's child named in the path: 404, as for one that does not exist
        (await dm.GetAsync("/children/B/R1/reason?rule=icpc&episode=S-R1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
