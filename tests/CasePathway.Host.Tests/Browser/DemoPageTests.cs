using CasePathway.Host.Runtime;
using CasePathway.Host.Tests.Api;
using CasePathway.Import.Demo;
using CasePathway.Store;
using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Browser;

/// <summary>The server as <c>serve</c> runs it, over a fresh database holding the demo dataset (ending at the pinned "now").</summary>
public sealed class DemoServer : RuntimeServer
{
    public const string Tenant = "demo";

    /// <summary>The demo council's own configuration, as <c>ops/run</c> serves it: its name, targets and benchmarks.</summary>
    protected override CasePathway.Projections.Tenants.TenantDirectory Tenants =>
        CasePathway.Projections.Tenants.TenantDirectory.Load(Path.Combine(RepositoryRoot.Path, "config", "tenants"));

    protected override async Task SeedAsync(CasePathwayRuntime runtime)
    {
        var events = DemoPathways.Generate(Tenant, Now, children: 150);
        await runtime.Store.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: false));
        await runtime.CatchUpAsync();
    }
}

public sealed class DemoBrowserFixture : BrowserFixture
{
    private readonly DemoServer demo = new();

    protected override IAsyncLifetime Server => demo;

    protected override Uri BaseAddress => demo.BaseAddress;

    protected override Microsoft.AspNetCore.Builder.WebApplication App => demo.App;
}

/// <summary>
/// The pages doing their jobs in real Chromium over real data: the demo dataset in PostgreSQL, the
/// projections, the queries. Few tests, each covering a whole task, to stay quick on a small CI machine.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(DemoBrowserFixture browser) : IClassFixture<DemoBrowserFixture>
{
    private static async Task<IReadOnlyList<string>> Cells(IPage p, int column) =>
        await p.Locator($"#breaches tbody tr td:nth-child({column})").AllTextContentsAsync();

    [Fact]
    public async Task The_breach_list_filters_by_team_and_rule_and_exports_exactly_its_rows()
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        (await p.GotoAsync($"/breaches?tenant={DemoServer.Tenant}", new() { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        await page.ScreenshotAsync("demo-breaches");
        var all = await p.Locator("#breaches tbody tr").CountAsync();
        all.ShouldBeGreaterThan(0);
        (await page.AxeViolationsAsync()).ShouldBeEmpty();

        // the team with the most rows, so the filtered list is neither empty nor the whole list
        var team = (await Cells(p, 4)).GroupBy(t => t.Trim()).Where(g => g.Key.Length > 0).OrderByDescending(g => g.Count()).First().Key;
        await p.SelectOptionAsync("#team", team);
        await p.ClickAsync("button:has-text('Apply filters')");
        await p.WaitForURLAsync("**/breaches?*team=*");
        (await Cells(p, 4)).ShouldAllBe(t => t.Trim() == team);

        var rule = (await p.Locator("#breaches tbody tr td:nth-child(2) span").AllTextContentsAsync()).First().Trim();
        await p.SelectOptionAsync("#rule", rule);
        await p.SelectOptionAsync("#pageSize", "200"); // one page holds the filtered list, so it can be compared with the export
        await p.ClickAsync("button:has-text('Apply filters')");
        await p.WaitForURLAsync($"**/breaches?*rule={rule}*");
        await page.ScreenshotAsync("demo-breaches-filtered");
        var children = await Cells(p, 1);
        children.Count.ShouldBeGreaterThan(0);
        (await p.Locator("#breach-pages").CountAsync()).ShouldBe(0, "the filtered list fits one page of 200");
        (await p.Locator("#breaches tbody tr td:nth-child(2) span").AllTextContentsAsync()).ShouldAllBe(r => r.Trim() == rule);
        (await Cells(p, 4)).ShouldAllBe(t => t.Trim() == team);

        // the export holds the same rows, in the same order
        var href = await p.GetAttributeAsync("a[href^='/breaches.csv']", "href");
        var csv = await (await p.APIRequest.GetAsync(href!)).TextAsync();
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        rows.Select(r => r[1]).ShouldBe(children.Select(c => c.Trim()));
        rows.Select(r => (r[2], r[3], r[4])).ShouldBe((await Cells(p, 3)).Select(e => (rule, e.Trim(), team)));
        page.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_child_page_shows_timeline_and_clocks_and_replays_an_earlier_instant()
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        await p.GotoAsync($"/breaches?tenant={DemoServer.Tenant}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        // a child of the list whose events were recorded at different times, so an earlier instant knew fewer
        string? href = null;
        NodaTime.Instant lastRecorded = default;
        foreach (var link in (await p.Locator("#breaches tbody tr td:first-child a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))")).Take(20))
        {
            var api = await (await p.APIRequest.GetAsync("/api" + link)).JsonAsync();
            var recorded = api!.Value.GetProperty("timeline").EnumerateArray()
                .Select(e => Domain.Time.OccurrenceText.ParseInstant(e.GetProperty("recordedAt").GetString()!)!.Value).Order().ToList();
            if (recorded.Count < 2 || recorded[^1] - recorded[0] < NodaTime.Duration.FromMinutes(3)) continue;
            (href, lastRecorded) = (link, recorded[^1]);
            break;
        }
        href.ShouldNotBeNull("no child of the demo breach list has events recorded at different times");

        (await p.GotoAsync(href, new() { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        await page.ScreenshotAsync("demo-child");
        var now = await p.Locator("#timeline .cp-timeline__item").CountAsync();
        now.ShouldBeGreaterThan(1);
        (await p.Locator("#clocks tbody tr").CountAsync()).ShouldBeGreaterThan(0);
        (await page.AxeViolationsAsync()).ShouldBeEmpty();

        await p.FillAsync("#asAt", CasePathway.Host.Web.AsAtText.ForInput(lastRecorded - NodaTime.Duration.FromMinutes(1)));
        await p.ClickAsync("button:has-text('Show')");
        await p.WaitForURLAsync("**asAt=*");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync("demo-child-as-at");
        var then = await p.Locator("#timeline .cp-timeline__item").CountAsync();
        then.ShouldBeInRange(1, now - 1);
        (await p.TextContentAsync("#recorded-later"))!.ShouldContain("Recorded after");
        page.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(360)]
    public async Task A_breached_child_with_late_recordings_reads_plainly_and_fits_the_screen(int width)
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        await p.GotoAsync($"/breaches?tenant={DemoServer.Tenant}&status=breached&pageSize=200", new() { WaitUntil = WaitUntilState.NetworkIdle });
        // a breached child whose timeline holds an event recorded late, so both are on the page
        string? href = null;
        System.Text.Json.JsonElement api = default;
        foreach (var link in (await p.Locator("#breaches tbody tr td:first-child a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))")).Distinct().Take(80))
        {
            var json = (await (await p.APIRequest.GetAsync("/api" + link)).JsonAsync())!.Value;
            if (!json.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("recordedLateByWorkingDays").GetInt32() > 0)) continue;
            (href, api) = (link, json);
            break;
        }
        href.ShouldNotBeNull("no breached child of the demo has an event recorded late");

        await p.SetViewportSizeAsync(width, 900);
        (await p.GotoAsync(href, new() { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        await page.ScreenshotAsync($"demo-child-{width}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        await PageTests.ShouldNotScrollSideways(p, width);

        // each event a sentence: London date (and time), what happened, how long after it was recorded
        var entries = api.GetProperty("timeline").EnumerateArray().ToList();
        var lines = await p.Locator("#timeline .cp-timeline__line").AllInnerTextsAsync();
        lines.Count.ShouldBe(entries.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i].ShouldMatch(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}( \d\d:\d\d)? — [A-Z“].+, (recorded|recording time)");
            // late exactly when the timeline's own count says so, and by as many working days
            var late = entries[i].GetProperty("recordedLateByWorkingDays").GetInt32();
            if (late > 0) lines[i].ShouldContain($"recorded {late} working day{(late == 1 ? "" : "s")} late");
            else lines[i].ShouldNotContain("working day");
        }
        var text = await p.InnerTextAsync("main");
        text.ShouldNotContain("Stored");
        text.ShouldNotMatch(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"); // no ISO instants

        // the picture: a bar per clock; every breached clock has red past its due date
        var statuses = api.GetProperty("clocks").EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToList();
        (await p.Locator("#pathway svg[role=img]").CountAsync()).ShouldBe(statuses.Count);
        statuses.ShouldContain("breached");
        (await p.Locator("#pathway .cp-pathway__bars rect.cp-pathway__past-due").CountAsync()).ShouldBeGreaterThanOrEqualTo(statuses.Count(s => s == "breached"));
        page.Problems.ShouldBeEmpty();
    }
}

/// <summary>The board over the demo dataset, as a board member (role <c>board</c>, the demo council only) sees it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoBoardTests(DemoBrowserFixture browser) : IClassFixture<DemoBrowserFixture>
{
    [Theory]
    [InlineData(1400, 900, "demo-board-1400")]
    [InlineData(360, 740, "demo-board-360")]
    public async Task The_board_opens_on_the_demo_council_and_draws_every_chart_at_both_widths(int width, int height, string name)
    {
        var (user, password) = await Security.TestAccess.AddUserAsync(Security.TestAccess.Accounts(browser.ServerApp), [Host.Security.Roles.Board], [DemoServer.Tenant]);
        var state = await browser.SignInAsync(user, password);
        var page = await browser.OpenAsync(width: width, height: height, state: state);
        var p = page.Page;
        (await p.GotoAsync("/board", new() { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        var lastComplete = CasePathway.Domain.Time.London.DateOf(DemoServer.Now).ToYearMonth().PlusMonths(-1).ToString("uuuu-MM", null);
        p.Url.ShouldEndWith($"/board?tenant={DemoServer.Tenant}&month={lastComplete}");
        await page.ScreenshotAsync(name);

        // the headline is the scorecard the API gives for the same council and month
        var api = (await (await p.APIRequest.GetAsync($"/api/scorecard?tenant={DemoServer.Tenant}&month={lastComplete}")).JsonAsync())!.Value;
        var indicators = api.GetProperty("indicators").EnumerateArray().ToList();
        (await p.Locator("#headline-table tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.indicator)"))
            .ShouldBe(indicators.Select(i => i.GetProperty("id").GetString()!));
        var values = await p.Locator("#headline-table td[data-label=Value]").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.value)");
        values.ShouldBe(indicators.Select(i => i.GetProperty("value") is { ValueKind: System.Text.Json.JsonValueKind.Number } v
            ? v.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) : ""));
        values.Count(v => v != "").ShouldBeGreaterThan(10, "the demo month has figures");
        // RAG against the demo council's targets (config/tenants/demo.json), each as the scorecard's value and target give it
        var rags = await p.Locator("#headline-table td[data-label=RAG]").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.rag)");
        rags.ShouldBe(indicators.Select(i => CasePathway.Domain.Scorecard.BoardArithmetic.RagOf(
            CasePathway.Domain.Scorecard.Indicators.Find(i.GetProperty("id").GetString()!)!.Polarity,
            CasePathway.Domain.Scorecard.Indicators.Find(i.GetProperty("id").GetString()!)!.Kind,
            i.GetProperty("value") is { ValueKind: System.Text.Json.JsonValueKind.Number } v ? v.GetDecimal() : null,
            i.TryGetProperty("target", out var t) ? t.GetDecimal() : null)?.ToString() ?? ""));
        rags.Count(r => r != "").ShouldBeGreaterThan(3, "the demo council's targets give RAGs");
        (await p.Locator("#indicator-sg5 td[data-label='Statistical neighbours']").TextContentAsync())!.Trim().ShouldBe("80.0%");
        // a board member may not follow figures to children: no drill-down link is offered
        (await p.Locator("a[href*='/children?']").CountAsync()).ShouldBe(0);

        (await p.Locator("[data-chart][data-chart-rendered='true']").CountAsync()).ShouldBe(await p.Locator("[data-chart]").CountAsync());
        (await PageTests.FitsTheWidth(p)).ShouldBeTrue($"the demo board scrolls sideways at {width} px");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        // aggregates only: no child of the demo is named
        var html = await p.ContentAsync();
        System.Text.RegularExpressions.Regex.IsMatch(html, @"\bD\d{4}\b").ShouldBeFalse("a demo child's id is on the board");
        page.Problems.ShouldBeEmpty();

        await p.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.ScreenshotAsync(name + "-print");
    }
}

/// <summary>Browser test classes run one after another: one Chromium at a time on a small CI machine.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
