using System.Net;
using System.Text;
using System.Text.Json;

namespace CasePathway.Host.Tests.Web;

/// <summary>The app over real HTTP on loopback: health, OpenAPI, problem+json, the CSV export.</summary>
public sealed class HttpTests(RunningServer server) : IClassFixture<RunningServer>
{
    private readonly HttpClient http = server.CreateClient();

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Live_answers_while_the_process_runs()
    {
        var response = await http.GetAsync("/health/live");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Json(response)).GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Ready_reports_whether_the_database_answers()
    {
        var response = await http.GetAsync("/health/ready");
        var body = await Json(response);
        var database = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        if (server.ConnectionString is null)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            database.GetProperty("description").GetString()!.ShouldContain("CASEPATHWAY_DB");
        }
        else
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            database.GetProperty("status").GetString().ShouldBe("Healthy");
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served()
    {
        var response = await http.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var doc = await Json(response);
        doc.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        doc.GetProperty("info").GetProperty("title").GetString().ShouldBe("CasePathway");
        doc.GetProperty("paths").TryGetProperty("/breaches.csv", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_api_route_is_a_problem_json_404_naming_the_path()
    {
        var response = await http.GetAsync("/api/no-such-thing");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await Json(response);
        problem.GetProperty("status").GetInt32().ShouldBe(404);
        problem.GetProperty("detail").GetString()!.ShouldContain("/api/no-such-thing");
    }

    [Fact]
    public async Task An_unknown_page_is_a_page_for_a_person()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Page not found");
    }

    [Fact]
    public async Task A_failure_is_a_problem_json_500_without_the_exception_text()
    {
        var response = await http.GetAsync("/api/test/fail");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("secret detail");
        (await Json(response)).GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_is_a_problem_json_413_naming_the_body()
    {
        var small = await http.PostAsync("/api/test/batch", new StringContent(new string('x', 1000), Encoding.UTF8, "application/json"));
        small.StatusCode.ShouldBe(HttpStatusCode.OK);
        var large = await http.PostAsync("/api/test/batch", new StringContent(new string('x', 5000), Encoding.UTF8, "application/json"));
        large.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        large.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await Json(large)).GetProperty("detail").GetString()!.ShouldStartWith("body:");
    }

    [Fact]
    public async Task The_csv_export_rejects_bad_filters_naming_every_field()
    {
        var response = await http.GetAsync("/breaches.csv?asAt=yesterday&within=many");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await Json(response)).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Order().ShouldBe(["asAt", "tenant", "within"]);
    }

    [Fact]
    public async Task The_csv_export_has_the_contract_columns_and_the_filtered_rows()
    {
        var response = await http.GetAsync("/breaches.csv?tenant=357&rule=screening");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // the contract's columns in their order, then the reason for delay's (none recorded in the sample)
        lines[0].ShouldBe("tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote");
        lines.Skip(1).ShouldBe([
            "357,C100,screening,K1,MASH,asmith,2024-03-11,2024-03-12,breached,-2,,",
            "357,\"C400, \"\"twin\"\"\",screening,K2,MASH,cbrown,2024-03-13,2024-03-14,running,0,,",
        ]);
    }

    [Fact]
    public async Task Pages_show_the_configured_council_name()
    {
        var html = await http.GetStringAsync("/breaches?tenant=357");
        html.ShouldContain(RunningServer.CouncilName);
        html.ShouldNotContain("govuk-logo"); // no crown
    }
}
