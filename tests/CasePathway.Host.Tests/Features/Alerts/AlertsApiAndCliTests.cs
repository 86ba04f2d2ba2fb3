using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Tests.Cli;
using CasePathway.Host.Tests.Security;
using NodaTime;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>
/// Morning alerts for a program and for the operator, against the real server of <see cref="AlertsHost"/> (alerts by
/// SMTP to a loopback server): a duty manager lists, makes and stops their own subscriptions through the API under
/// the page's rules; the message goes; an administrator reads the sent list as JSON and CSV; and the command line
/// reads the same database. In the command line's collection: it points CASEPATHWAY_DB at the server's database.
/// </summary>
[Collection(CliEnvironment.Name)]
public sealed class AlertsApiAndCliTests
{
    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliTestBase.Run(args);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);

    [Fact]
    public async Task A_duty_manager_keeps_their_subscriptions_by_api_an_administrator_reads_what_was_sent_and_so_does_the_command_line()
    {
        await using var smtp = new LoopbackSmtpServer();
        var host = new AlertsHost(new Dictionary<string, string?>
        {
            ["CasePathway:Alerts:Channel"] = "smtp",
            ["CasePathway:Alerts:Smtp:Host"] = "127.0.0.1",
            ["CasePathway:Alerts:Smtp:Port"] = smtp.Port.ToString(),
            ["CasePathway:Alerts:Smtp:Security"] = "none",
            ["CasePathway:Alerts:Smtp:From"] = "casepathway@alpha.example",
        });
        await host.InitializeAsync();
        try
        {
            using var manager = new HttpClient { BaseAddress = host.BaseAddress }.WithToken(
                await TestAccess.TokenAsync(host.App!, host.BaseAddress, [Host.Security.Roles.DutyManager], ["A"], ["MASH", "EAST"]));
            using var colleague = new HttpClient { BaseAddress = host.BaseAddress }.WithToken(
                await TestAccess.TokenAsync(host.App!, host.BaseAddress, [Host.Security.Roles.DutyManager], ["A"], ["MASH"]));
            using var admin = new HttpClient { BaseAddress = host.BaseAddress }.WithToken(
                await TestAccess.TokenAsync(host.App!, host.BaseAddress, [Host.Security.Roles.Admin], ["A"]));

            var none = await JsonOf(await manager.GetAsync("/api/alerts/subscriptions?tenant=A"), HttpStatusCode.OK);
            none.GetProperty("sendsAt").GetString().ShouldBe(host.SendsAt.ToString("HH:mm", null));
            none.GetProperty("subscriptions").GetArrayLength().ShouldBe(0);

            // the page's rules, each problem named by its field; nothing is stored
            var bad = await JsonOf(await manager.PostAsync("/api/alerts/subscriptions?tenant=A", Json("""{"team":"NORTH","email":"not an address","within":61}""")), HttpStatusCode.BadRequest);
            Fields(bad).ShouldBe(["team", "email", "within"], ignoreOrder: true);
            bad.GetProperty("errors").GetProperty("team")[0].GetString().ShouldBe("is not one of your teams");
            Fields(await JsonOf(await manager.PostAsync("/api/alerts/subscriptions?tenant=A", Json("""{"team":"MASH","email":"m@alpha.example","within":"-1"}""")), HttpStatusCode.BadRequest)).ShouldBe(["within"]);
            Fields(await JsonOf(await manager.PostAsync("/api/alerts/subscriptions?tenant=A", Json("[1]")), HttpStatusCode.BadRequest)).ShouldBe(["body"]);
            Fields(await JsonOf(await manager.PostAsync("/api/alerts/subscriptions?tenant=A", Json("{\"team\":")), HttpStatusCode.BadRequest)).ShouldBe(["body"]);
            Fields(await JsonOf(await manager.PostAsync("/api/alerts/subscriptions", Json("""{"team":"MASH","email":"m@alpha.example"}""")), HttpStatusCode.BadRequest)).ShouldBe(["tenant"]);
            // a form post (what another site's page could send) is not taken
            (await manager.PostAsync("/api/alerts/subscriptions?tenant=A", new FormUrlEncodedContent(new Dictionary<string, string> { ["team"] = "MASH", ["email"] = "m@alpha.example" })))
                .StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
            await using (var count = host.DataSource.CreateCommand("select count(*) from alert_subscriptions"))
                ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);

            var created = await manager.PostAsync("/api/alerts/subscriptions?tenant=A", Json("""{"team":" MASH ","email":"mash.manager@alpha.example"}"""));
            var subscription = await JsonOf(created, HttpStatusCode.Created);
            var id = subscription.GetProperty("id").GetGuid();
            created.Headers.Location!.OriginalString.ShouldBe($"/api/alerts/subscriptions/{id}?tenant=A");
            subscription.GetProperty("team").GetString().ShouldBe("MASH");
            subscription.GetProperty("withinWorkingDays").GetInt32().ShouldBe(2, "the page's default window");
            subscription.GetProperty("nextDate").GetString().ShouldBe("2024-03-14");
            var mine = await JsonOf(await manager.GetAsync("/api/alerts/subscriptions?tenant=A"), HttpStatusCode.OK);
            mine.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ShouldBe([id]);

            // a colleague neither sees nor stops it; nor does another council's name reach it
            (await JsonOf(await colleague.GetAsync("/api/alerts/subscriptions?tenant=A"), HttpStatusCode.OK)).GetProperty("subscriptions").GetArrayLength().ShouldBe(0);
            Fields(await JsonOf(await colleague.DeleteAsync($"/api/alerts/subscriptions/{id}?tenant=A"), HttpStatusCode.NotFound)).ShouldBe(["id"]);
            (await manager.DeleteAsync($"/api/alerts/subscriptions/{id}?tenant=B")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await manager.DeleteAsync("/api/alerts/subscriptions/not-a-guid?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            // each role its own side: the manager does not read the sent list, the administrator has no subscriptions
            (await manager.GetAsync("/api/alerts/sent?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await admin.GetAsync("/api/alerts/subscriptions?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

            await host.DeliveredAsync(id, 1);
            smtp.Received.Count.ShouldBe(1);

            var sent = await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A"), HttpStatusCode.OK);
            var row = sent.GetProperty("sent").EnumerateArray().Single();
            (row.GetProperty("subscription").GetGuid(), row.GetProperty("date").GetString(), row.GetProperty("team").GetString(), row.GetProperty("channel").GetString(),
                row.GetProperty("outcome").GetString(), row.GetProperty("attempts").GetInt32(), row.GetProperty("clocks").GetInt32())
                .ShouldBe((id, "2024-03-14", "MASH", "smtp", "sent", 1, 2));
            sent.GetRawText().ShouldNotContain("mash.manager@alpha.example");
            (await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A&from=2024-03-15"), HttpStatusCode.OK)).GetProperty("sent").GetArrayLength().ShouldBe(0);
            (await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A&from=2024-03-14&to=2024-03-14"), HttpStatusCode.OK)).GetProperty("sent").GetArrayLength().ShouldBe(1);
            Fields(await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A&from=14/03/2024"), HttpStatusCode.BadRequest)).ShouldBe(["from"]);
            Fields(await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A&from=2024-03-15&to=2024-03-14"), HttpStatusCode.BadRequest)).ShouldBe(["to"]);
            Fields(await JsonOf(await admin.GetAsync("/api/alerts/sent?tenant=A&format=xml"), HttpStatusCode.BadRequest)).ShouldBe(["format"]);
            var csv = await admin.GetAsync("/api/alerts/sent?tenant=A&format=csv");
            csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
            var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            lines[0].ShouldBe("sentAt,date,subscription,team,channel,outcome,detail,attempts,clocks");
            lines.Length.ShouldBe(2);
            lines[1].ShouldContain($",2024-03-14,{id},MASH,smtp,sent,");
            lines[1].ShouldEndWith(",1,2");

            // the operator's command line reads the same database
            Environment.SetEnvironmentVariable("CASEPATHWAY_DB", host.ConnectionString);
            try
            {
                var (exit, output, error) = await Run("alerts", "sent", "--tenant", "A", "--format", "csv", "--from", "2024-03-14");
                (exit, error).ShouldBe((0, ""));
                output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ShouldBe(lines);
                var json = await Run("alerts", "sent", "--tenant", "A", "--format", "json");
                JsonDocument.Parse(json.Out).RootElement.GetProperty("sent").GetArrayLength().ShouldBe(1);
                (await Run("alerts", "sent", "--tenant", "A", "--to", "2024-03-13", "--format", "json")).Out.ShouldContain("\"sent\": []");
                var table = await Run("alerts", "sent", "--tenant", "A");
                table.Out.ShouldContain("morning alerts sent for A: 1");
                table.Out.ShouldContain("MASH");
                var wrong = await Run("alerts", "sent", "--tenant", "A", "--from", "yesterday");
                (wrong.Exit, wrong.Err.Trim()).ShouldBe((2, "--from: 'yesterday' is not a date (yyyy-MM-dd)"));

                var subscriptions = await Run("alerts", "subscriptions", "--tenant", "A", "--format", "json");
                subscriptions.Exit.ShouldBe(0);
                var live = JsonDocument.Parse(subscriptions.Out).RootElement.EnumerateArray().Single();
                (live.GetProperty("id").GetGuid(), live.GetProperty("team").GetString(), live.GetProperty("email").GetString(), live.GetProperty("nextDate").GetString())
                    .ShouldBe((id, "MASH", "mash.manager@alpha.example", "2024-03-15"));
                (await Run("alerts", "subscriptions", "--tenant", "A", "--subscriber", "somebody-else", "--format", "csv")).Out.Trim()
                    .ShouldBe("id,tenant,team,subscriber,email,withinWorkingDays,nextDate,createdAt");

                // stopped through the API: no longer listed anywhere
                (await manager.DeleteAsync($"/api/alerts/subscriptions/{id}?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
                (await manager.DeleteAsync($"/api/alerts/subscriptions/{id}?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
                (await JsonOf(await manager.GetAsync("/api/alerts/subscriptions?tenant=A"), HttpStatusCode.OK)).GetProperty("subscriptions").GetArrayLength().ShouldBe(0);
                (await Run("alerts", "subscriptions", "--tenant", "A")).Out.ShouldContain("live morning alert subscriptions of A: 0");
            }
            finally { Environment.SetEnvironmentVariable("CASEPATHWAY_DB", null); }
        }
        finally { await host.DisposeAsync(); }
    }
}
