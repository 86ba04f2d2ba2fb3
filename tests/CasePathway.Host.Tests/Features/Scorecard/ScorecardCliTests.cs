using CasePathway.Host.Tests.Security;
using System.Net;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using CasePathway.Host.Web;
using CasePathway.Store;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.Features.Scorecard;

/// <summary>The tests here set CASEPATHWAY_DB and CASEPATHWAY_TENANTS for the process, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScorecardEnvironment
{
    public const string Name = "scorecard environment";
}

/// <summary>A small month in a database of its own, with a tenant file giving a target and a child population.</summary>
public sealed class ScorecardDatabase : TestDatabase
{
    public const string Tenant = "sc1";
    public string TenantFolder { get; } = Directory.CreateTempSubdirectory("cp-tenants-").FullName;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await File.WriteAllTextAsync(Path.Combine(TenantFolder, "sc1.json"),
            """
            {"tenant": "sc1", "name": "Scorecard Council", "childPopulation": 10000, "targets": {"FD8": 85, "EH1": 7},
             "benchmarks": {"FD8": {"statisticalNeighbours": 80, "england": 78.5}}}
            """);
        PathwayEvent E(string child, string at, IPathwayEventData data) =>
            new(Guid.NewGuid(), Tenant, child, OccurrenceText.ParseOccurrence(at)!.Value, data);
        PathwayEvent[] events =
        [
            E("CHILD-ONE", "2022-10-03T09:00:00+01:00", new ContactReceived("K1", ContactRoute.Mash, "police")),
            E("CHILD-ONE", "2022-10-04T09:00:00+01:00", new ContactScreened("K1", ScreeningOutcome.Referral)),
            E("CHILD-ONE", "2022-10-04T10:00:00+01:00", new ReferralReceived("R1", "K1")),
            E("CHILD-TWO", "2022-10-05T09:00:00+01:00", new ContactReceived("K2", ContactRoute.Mash, "school")),
            E("CHILD-TWO", "2022-10-14T09:00:00+01:00", new ContactScreened("K2", ScreeningOutcome.EarlyHelp)),
        ];
        await EventStore.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: true));
    }

    public override async Task DisposeAsync()
    {
        Directory.Delete(TenantFolder, recursive: true);
        await base.DisposeAsync();
    }

    /// <summary>Runs <paramref name="body"/> with the environment pointing at this database and tenant folder.</summary>
    public async Task<T> WithEnvironmentAsync<T>(Func<Task<T>> body)
    {
        var db = Environment.GetEnvironmentVariable("CASEPATHWAY_DB");
        var tenants = Environment.GetEnvironmentVariable("CASEPATHWAY_TENANTS");
        Environment.SetEnvironmentVariable("CASEPATHWAY_DB", ConnectionString);
        Environment.SetEnvironmentVariable("CASEPATHWAY_TENANTS", TenantFolder);
        try
        {
            return await body();
        }
        finally
        {
            Environment.SetEnvironmentVariable("CASEPATHWAY_DB", db);
            Environment.SetEnvironmentVariable("CASEPATHWAY_TENANTS", tenants);
        }
    }
}

[Collection(ScorecardEnvironment.Name)]
public class ScorecardCliTests(ScorecardDatabase db) : IClassFixture<ScorecardDatabase>
{
    /// <summary>The web app on loopback over this database (no projection runner), and a client signed in to it.</summary>
    private Task WithServerAsync(Func<HttpClient, Task<int>> body) => db.WithEnvironmentAsync(async () =>
    {
        await using var runtime = await CasePathwayRuntime.OpenAsync(db.ConnectionString);
        // The server runs no projections here: the facts are brought up to date first, so a test that starts the
        // server before any command has caught them up (run alone, or first) reads the same month.
        await runtime.CatchUpAsync();
        await using var app = WebApp.Build(new WebAppSettings { Urls = "http://127.0.0.1:0", ConnectionString = db.ConnectionString },
            services => services.AddCasePathwayRuntime(runtime, runProjections: false));
        await app.StartAsync();
        var address = new Uri(WebApp.Addresses(app).First());
        using var client = new HttpClient { BaseAddress = address }.WithToken(await TestAccess.TokenAsync(app, address));
        return await body(client);
    });

    private Task<(int Exit, string Output, string Error)> Run(params string[] args) => db.WithEnvironmentAsync(async () =>
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    });

    [Fact]
    public async Task Json_has_the_contract_shape()
    {
        var (exit, output, error) = await Run("report", "scorecard", "--tenant", ScorecardDatabase.Tenant, "--month", "2022-10", "--format", "json");
        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("tenant").GetString().ShouldBe("sc1");
        root.GetProperty("month").GetString().ShouldBe("2022-10");
        var indicators = root.GetProperty("indicators").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        indicators.Keys.ShouldContain("FD8");
        indicators.Count.ShouldBe(34);

        var fd8 = indicators["FD8"];
        fd8.GetProperty("title").GetString().ShouldStartWith("% MASH screenings");
        fd8.GetProperty("numerator").GetDecimal().ShouldBe(1m);       // K1 in a day; K2 took 7 working days
        fd8.GetProperty("denominator").GetDecimal().ShouldBe(2m);
        fd8.GetProperty("value").GetDecimal().ShouldBe(50.0m);
        fd8.GetProperty("target").GetDecimal().ShouldBe(85m);
        fd8.GetProperty("definition").GetString()!.ShouldContain("request");

        var fd1 = indicators["FD1"];                                     // a count: value only
        fd1.GetProperty("value").GetDecimal().ShouldBe(2m);
        fd1.TryGetProperty("numerator", out _).ShouldBeFalse();
        fd1.TryGetProperty("denominator", out _).ShouldBeFalse();

        var eh1 = indicators["EH1"];                                     // a mean: sum and count
        eh1.GetProperty("numerator").GetDecimal().ShouldBe(7m);
        eh1.GetProperty("denominator").GetDecimal().ShouldBe(1m);

        indicators["CIN2"].GetProperty("value").GetDecimal().ShouldBe(1.0m);        // 1 referral per 10,000
        indicators["CIN17"].GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
        indicators["FD9"].TryGetProperty("target", out _).ShouldBeFalse();           // not configured: empty
    }

    [Fact]
    public async Task Csv_and_html_carry_the_figures_and_no_child()
    {
        var (exit, csv, _) = await Run("report", "scorecard", "--tenant", ScorecardDatabase.Tenant, "--month", "2022-10", "--format", "csv");
        exit.ShouldBe(0);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("tenant,month,id,title,period,numerator,denominator,value");
        lines.Length.ShouldBe(35);
        lines.ShouldContain(l => l.StartsWith("sc1,2022-10,FD8,", StringComparison.Ordinal) && l.Contains(",1,2,50,"));

        var (htmlExit, html, htmlError) = await Run("report", "scorecard", "--tenant", ScorecardDatabase.Tenant, "--month", "2022-10", "--format", "html");
        htmlExit.ShouldBe(0, htmlError);
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("@page");
        html.ShouldContain("Scorecard Council");
        html.ShouldContain("October 2022");
        html.ShouldNotContain("CHILD-");
        html.ShouldNotContain("<script");
    }

    [Fact]
    public async Task A_month_that_is_not_a_month_is_a_usage_error_naming_the_option()
    {
        var (exit, output, error) = await Run("report", "scorecard", "--tenant", "sc1", "--month", "2022-13");
        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("--month: '2022-13' is not a month");
    }

    [Fact]
    public async Task The_api_the_drill_down_and_the_board_answer_from_the_same_facts()
    {
        await WithServerAsync(async client =>
        {

            var bad = await client.GetAsync("/api/scorecard?tenant=sc1&month=October");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            using (var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()))
                problem.RootElement.GetProperty("errors").GetProperty("month")[0].GetString()!.ShouldContain("YYYY-MM");

            using (var scorecard = JsonDocument.Parse(await client.GetStringAsync("/api/scorecard?tenant=sc1&month=2022-10")))
            {
                var fd8 = scorecard.RootElement.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "FD8");
                fd8.GetProperty("value").GetDecimal().ShouldBe(50.0m);
            }

            using (var items = JsonDocument.Parse(await client.GetStringAsync("/api/scorecard/FD8/children?tenant=sc1&month=2022-10")))
            {
                var rows = items.RootElement.GetProperty("items").EnumerateArray().ToList();
                rows.Select(r => (r.GetProperty("child").GetString(), r.GetProperty("inNumerator").GetBoolean()))
                    .ShouldBe([("CHILD-ONE", true), ("CHILD-TWO", false)]);
                rows[0].GetProperty("rule").GetString().ShouldBe("mash-screening");
                // A date on the wire, as the contract writes dates (the read side carries it typed).
                rows.ShouldAllBe(r => System.Text.RegularExpressions.Regex.IsMatch(r.GetProperty("occurredOn").GetString()!, @"^2022-10-\d\d$"));
            }
            (await client.GetAsync("/api/scorecard/NOPE/children?tenant=sc1&month=2022-10")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

            var board = await client.GetStringAsync("/board?tenant=sc1&month=2022-10");
            board.ShouldContain("FD8: % MASH screenings");
            board.ShouldContain("FD8: working days from contact to MASH screening");
            board.ShouldContain("The front door: contact to plan");
            board.ShouldNotContain("CHILD-");
            return 0;
        });
    }

    private static readonly System.Text.RegularExpressions.Regex HeadlineRow = new(
        """<tr class="govuk-table__row" id="indicator-[^"]+" data-indicator="(?<id>[^"]+)">(?<row>.*?)</tr>""",
        System.Text.RegularExpressions.RegexOptions.Singleline);

    private static string Cell(string row, string label) =>
        System.Text.RegularExpressions.Regex.Match(row, $"""data-label="{label}"[^>]*>(?<text>.*?)</td>""", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Groups["text"].Value;

    private static string Attribute(string row, string name) =>
        System.Text.RegularExpressions.Regex.Match(row, $"""{name}="(?<v>[^"]*)""").Groups["v"].Value;

    private static string Words(string html) =>
        System.Text.RegularExpressions.Regex.Replace(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ").Trim();

    [Fact]
    public async Task The_boards_headline_table_is_the_scorecard_row_for_row_with_rag_travel_and_benchmarks()
    {
        await WithServerAsync(async client =>
        {

            var html = await client.GetStringAsync("/board?tenant=sc1&month=2022-10");
            var rows = HeadlineRow.Matches(html).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["row"].Value);
            using var scorecard = JsonDocument.Parse(await client.GetStringAsync("/api/scorecard?tenant=sc1&month=2022-10"));
            var indicators = scorecard.RootElement.GetProperty("indicators").EnumerateArray().ToList();

            // every indicator of the scorecard, in its order, with the scorecard's own value and target
            rows.Keys.ShouldBe(indicators.Select(i => i.GetProperty("id").GetString()!));
            foreach (var indicator in indicators)
            {
                var id = indicator.GetProperty("id").GetString()!;
                var row = rows[id];
                string Wire(string name) => indicator.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
                    ? v.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                (id + " " + Attribute(row[row.IndexOf("data-label=\"Value\"", StringComparison.Ordinal)..], "data-value")).ShouldBe(id + " " + Wire("value"));
                (id + " " + Attribute(row[row.IndexOf("data-label=\"Target\"", StringComparison.Ordinal)..], "data-value")).ShouldBe(id + " " + Wire("target"));
                Words(row).ShouldContain(id + " " + indicator.GetProperty("title").GetString()!);
            }

            // FD8 from the events: K1 screened within a day, K2 after 7 working days: 1 of 2 against a target of 85
            Words(Cell(rows["FD8"], "Value")).ShouldBe("50.0% 1 of 2");
            Words(Cell(rows["FD8"], "Target")).ShouldBe("85.0%");
            Attribute(rows["FD8"], "data-rag").ShouldBe("Red");
            Words(Cell(rows["FD8"], "RAG")).ShouldBe("Red");
            Words(Cell(rows["FD8"], "Statistical neighbours")).ShouldBe("80.0%");
            Words(Cell(rows["FD8"], "England")).ShouldBe("78.5%");
            Words(Cell(rows["FD8"], "Since last month")).ShouldBe("–");       // nothing screened in September
            // EH1: K2 took 7 working days to an early-help outcome, exactly the target of 7: met, so green
            Words(Cell(rows["EH1"], "Value")).ShouldBe("7.0 working days");
            Attribute(rows["EH1"], "data-rag").ShouldBe("Green");
            // FD1 counts the two contacts; September had none, so it is up from 0; a count has no RAG
            Words(Cell(rows["FD1"], "Value")).ShouldBe("2");
            Words(Cell(rows["FD1"], "Since last month")).ShouldBe("Up from 0");
            Attribute(rows["FD1"], "data-rag").ShouldBe("");
            Words(Cell(rows["FD9"], "Value")).ShouldBe("–");                   // no EHAP screening: empty, not 0%

            // each row links to the chart on the page that pictures it, and (qa-lead) to the children counted
            rows["FD8"].ShouldContain("href=\"#chart-trend-fd8\"");
            html.ShouldContain("id=\"chart-trend-fd8\"");
            rows["FD1"].ShouldContain("href=\"#chart-by-source\"");
            rows["SG5"].ShouldContain("href=\"#chart-trend-sg6\"");
            rows["FD8"].ShouldContain("/api/scorecard/FD8/children?tenant=sc1&amp;month=2022-10");
            (await client.GetAsync("/api/scorecard/FD8/children?tenant=sc1&month=2022-10")).IsSuccessStatusCode.ShouldBeTrue();
            html.ShouldNotContain("CHILD-");
            html.ShouldNotContain("CasePathway for CasePathway");
            html.ShouldContain("CasePathway for Scorecard Council");
            return 0;
        });
    }
}
