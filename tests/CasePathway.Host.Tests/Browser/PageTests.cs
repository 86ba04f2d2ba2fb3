using Microsoft.Extensions.DependencyInjection;
using CasePathway.Host.Tests.Web;
using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Browser;

/// <summary>Each page in real Chromium: it loads, raises no error, passes axe, and does its job.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<WatchedPage> Visit(string path, string screenshot)
    {
        var page = await browser.OpenAsync();
        var response = await page.Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        response!.Ok.ShouldBeTrue($"{path} answered {response.Status}");
        await page.ScreenshotAsync(screenshot);
        return page;
    }

    private static async Task ShouldBeClean(WatchedPage page)
    {
        page.Problems.ShouldBeEmpty();
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        // GOV.UK Frontend and MoJ Frontend started (the module scripts ran)
        (await page.Page.EvaluateAsync<bool>("document.body.classList.contains('govuk-frontend-supported')")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_person_signs_in_through_the_embedded_provider_and_a_wrong_password_is_said_plainly()
    {
        var page = await browser.OpenAsync(signedIn: false);
        var p = page.Page;
        await p.GotoAsync("/children/357/C100");
        await p.WaitForURLAsync("**/account/signin?*");
        await page.ScreenshotAsync("sign-in");
        page.Problems.ShouldBeEmpty();
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        await p.FillAsync("#username", "nobody-" + Guid.NewGuid().ToString("N")[..6]);
        await p.FillAsync("#password", "wrong password");
        await p.ClickAsync("button:has-text('Sign in')");
        (await p.TextContentAsync(".govuk-error-summary"))!.ShouldContain("not right");
        // the refused sign-in is answered 400, which Chromium reports on the console
        page.Problems.ShouldAllBe(x => x.Contains("400"));
        page.Problems.Clear();

        // the fixture's person, through the same form: back at the page first asked for, by OpenID Connect
        var (name, password) = await Security.TestAccess.AddUserAsync(Security.TestAccess.Accounts(browser.ServerApp), [Host.Security.Roles.QaLead], ["357"]);
        await p.FillAsync("#username", name);
        await p.FillAsync("#password", password);
        await p.ClickAsync("button:has-text('Sign in')");
        await p.WaitForURLAsync("**/children/357/C100");
        (await p.TextContentAsync("h1"))!.ShouldNotBeNullOrWhiteSpace();
        page.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/breaches?tenant=357", "breaches")]
    [InlineData("/children/357/C100", "child")]
    [InlineData("/children/357/C100?asAt=2024-03-12T12:00", "child-as-at")]
    [InlineData("/board?tenant=357&month=2024-03", "board")]
    [InlineData("/breaches", "breaches-choose-tenant")]
    public async Task The_page_loads_without_errors_and_passes_axe(string path, string name)
    {
        var page = await Visit(path, name);
        await ShouldBeClean(page);
        (await page.Page.TextContentAsync("header"))!.ShouldContain(RunningServer.CouncilName);
    }

    [Fact]
    public async Task The_breach_list_tags_filters_and_exports_what_it_shows()
    {
        var page = await Visit("/breaches?tenant=357", "breaches-all");
        var p = page.Page;
        (await p.Locator("#breaches tbody tr").CountAsync()).ShouldBe(4);
        (await p.Locator("#breaches .govuk-tag--red").AllTextContentsAsync()).ShouldBe(["Overdue"]);
        (await p.Locator("#breaches .govuk-tag--orange").CountAsync()).ShouldBe(2);
        (await p.Locator("#breaches .govuk-tag--yellow").AllTextContentsAsync()).ShouldBe(["Due soon"]);

        await p.SelectOptionAsync("#rule", "screening");
        await p.ClickAsync("button:has-text('Apply filters')");
        await p.WaitForURLAsync("**/breaches?*rule=screening*");
        await page.ScreenshotAsync("breaches-filtered");
        var children = await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync();
        children.ShouldBe(["C100", "C400, \"twin\""]);
        (await p.TextContentAsync("#counts-by-rule tbody"))!.ShouldContain("2");

        var href = await p.GetAttributeAsync("a[href^='/breaches.csv']", "href");
        href.ShouldNotBeNull().ShouldContain("rule=screening");
        var csv = await p.APIRequest.GetAsync(href);
        var lines = (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(children.Count + 1);
        lines[1].ShouldStartWith("357,C100,screening,");
        page.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_breach_list_sorts_the_whole_list_on_the_server_by_a_column_heading()
    {
        var page = await Visit("/breaches?tenant=357", "breaches-sorted");
        var p = page.Page;
        (await p.GetAttributeAsync("#breaches thead th:has-text('Due')", "aria-sort")).ShouldBe("ascending");
        await p.ClickAsync("#breaches thead th a:text-is('Child')");
        await p.WaitForURLAsync("**/breaches?*sort=child*");
        (await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync()).ShouldBe(["C100", "C200", "C300", "C400, \"twin\""]);
        (await p.GetAttributeAsync("#breaches thead th:has-text('Child')", "aria-sort")).ShouldBe("ascending");
        await p.ClickAsync("#breaches thead th a:text-is('Child')");
        await p.WaitForURLAsync("**/breaches?*direction=desc*");
        (await p.Locator("#breaches tbody tr td:first-child").First.TextContentAsync()).ShouldBe("C400, \"twin\"");
        (await p.GetAttributeAsync("#breaches thead th:has-text('Child')", "aria-sort")).ShouldBe("descending");
        // the sort survives the filter form
        await p.SelectOptionAsync("#team", "MASH");
        await p.ClickAsync("#breach-filter button[type=submit]");
        await p.WaitForURLAsync("**/breaches?*team=MASH*");
        (await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync()).ShouldBe(["C400, \"twin\"", "C100"]);
        await ShouldBeClean(page);
    }

    [Fact]
    public async Task The_breach_list_pages_with_counts_for_the_whole_list()
    {
        var page = await Visit("/breaches?tenant=357&pageSize=3", "breaches-paged");
        var p = page.Page;
        (await p.Locator("#breaches tbody tr").CountAsync()).ShouldBe(3);
        (await p.TextContentAsync("#showing"))!.ShouldContain("1 to 3 of 4");
        (await p.Locator("#counts-by-team tbody th").AllTextContentsAsync()).Select(t => t.Trim()).ShouldBe(["Assessment 1", "MASH"]);
        (await p.Locator("#counts-by-team tbody td").AllTextContentsAsync()).ShouldBe(["2", "2"]);
        (await p.Locator("#counts-by-rule tbody td").AllTextContentsAsync()).Select(int.Parse).Sum().ShouldBe(4);
        await ShouldBeClean(page);
        await p.ClickAsync("#breach-pages .govuk-pagination__next a");
        await p.WaitForURLAsync("**/breaches?*page=2*");
        (await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync()).ShouldBe(["C300"]);
        (await p.TextContentAsync("#showing"))!.ShouldContain("4 to 4 of 4");
        (await p.GetAttributeAsync("#breach-pages [aria-current=page]", "href"))!.ShouldContain("page=2");
        await page.ScreenshotAsync("breaches-page-2");
        await p.ClickAsync("#breach-pages a:text-is('1')");
        await p.WaitForURLAsync(u => !u.Contains("page=2"));
        (await p.Locator("#breaches tbody tr").CountAsync()).ShouldBe(3);
        // the export is the whole list, not the page
        var csv = await p.APIRequest.GetAsync((await p.GetAttributeAsync("a[href^='/breaches.csv']", "href"))!);
        (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(5);
    }

    [Fact]
    public async Task The_breach_list_filters_by_status_and_team_from_the_counts()
    {
        var page = await Visit("/breaches?tenant=357", "breaches-status");
        var p = page.Page;
        await p.SelectOptionAsync("#status", "breached");
        await p.ClickAsync("#breach-filter button[type=submit]");
        await p.WaitForURLAsync("**/breaches?*status=breached*");
        (await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync()).ShouldBe(["C100"]);
        await p.GotoAsync("/breaches?tenant=357");
        await p.ClickAsync("#counts-by-team a:text-is('Assessment 1')");
        await p.WaitForURLAsync("**/breaches?*team=Assessment*");
        (await p.Locator("#breaches tbody tr td:first-child").AllTextContentsAsync()).ShouldBe(["C200", "C300"]);
        await ShouldBeClean(page);
    }

    [Fact]
    public async Task A_bad_filter_is_named_in_an_error_summary()
    {
        var page = await browser.OpenAsync();
        var response = await page.Page.GotoAsync("/breaches?tenant=357&asAt=yesterday");
        response!.Status.ShouldBe(400);
        (await page.Page.TextContentAsync(".govuk-error-summary"))!.ShouldContain("asAt must be a date and time");
        await page.ScreenshotAsync("breaches-error");
    }

    [Fact]
    public async Task The_as_at_control_replays_the_pathway_as_it_stood()
    {
        var page = await Visit("/children/357/C100", "child-now");
        var p = page.Page;
        (await p.Locator("#timeline .cp-timeline__item").CountAsync()).ShouldBe(3);
        (await p.TextContentAsync("#clocks"))!.ShouldContain("Met");
        (await p.Locator(".cp-timeline__item--late").AllInnerTextsAsync()).Single()
            .ShouldContain("Tue 12 Mar 2024 — Contact screened: referred to children's social care, recorded 2 working days late by asmith");

        await p.FillAsync("#asAt", "2024-03-12T12:00");
        await p.ClickAsync("button:has-text('Show')");
        await p.WaitForURLAsync("**asAt=2024-03-12T12*");
        await page.ScreenshotAsync("child-replayed");
        (await p.Locator("#timeline .cp-timeline__item").CountAsync()).ShouldBe(2);
        (await p.TextContentAsync("#clocks"))!.ShouldContain("Running");
        (await p.TextContentAsync("#recorded-later"))!.ShouldContain("Recorded after Tue 12 Mar 2024 12:00");
        (await p.Locator("#recorded-later-timeline .cp-timeline__item").AllInnerTextsAsync()).Single().ShouldContain("Contact screened");
        page.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(360)]
    public async Task The_child_page_reads_in_plain_English_and_fits_the_screen(int width)
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        await p.SetViewportSizeAsync(width, 900);
        (await p.GotoAsync("/children/357/C100", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        await page.ScreenshotAsync($"child-{width}");
        await ShouldBeClean(page);
        await ShouldNotScrollSideways(p, width);

        var lines = await p.Locator("#timeline .cp-timeline__line").AllInnerTextsAsync();
        lines.ShouldBe([
            "Mon 11 Mar 2024 09:15 — Contact from the police (MASH), recorded 5 minutes later by jsmith",
            "Mon 11 Mar 2024 10:00 — Allocated to asmith in MASH, recorded at the time by jsmith",
            "Tue 12 Mar 2024 — Contact screened: referred to children's social care, recorded 2 working days late by asmith",
        ]);
        var text = await p.InnerTextAsync("main");
        text.ShouldNotContain("Stored");
        text.ShouldNotContain("contactId");
        text.ShouldNotContain("2024-03-11T09:15");

        // the picture: one bar per clock with its words for a screen reader; stopped on time, so nothing red
        (await p.Locator("#pathway svg[role=img]").CountAsync()).ShouldBe(await p.Locator("#clocks tbody tr").CountAsync());
        (await p.TextContentAsync("#pathway svg desc"))!.ShouldBe("Contact screened within 1 working day (K1): started Mon 11 Mar 2024, due Tue 12 Mar 2024, stopped Tue 12 Mar 2024; met.");
        (await p.Locator("#pathway .cp-pathway__bars .cp-pathway__stop").CountAsync()).ShouldBe(1);
        (await p.Locator("#pathway .cp-pathway__bars rect.cp-pathway__past-due").CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(360)]
    public async Task As_at_a_breach_the_picture_draws_it_red_to_the_time_chosen(int width)
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        await p.SetViewportSizeAsync(width, 900);
        // screened (recorded) on the 14th: on the 13th the clock was open and past its due date, the 12th
        (await p.GotoAsync("/children/357/C100?asAt=2024-03-13T12:00", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        await page.ScreenshotAsync($"child-breached-as-at-{width}");
        await ShouldBeClean(page);
        await ShouldNotScrollSideways(p, width);
        (await p.TextContentAsync("#clocks"))!.ShouldContain("Breached");
        var red = p.Locator("#pathway .cp-pathway__bars rect.cp-pathway__past-due");
        (await red.CountAsync()).ShouldBe(1);
        (await red.EvaluateAsync<string>("r => getComputedStyle(r).fill")).ShouldBe("rgb(212, 53, 28)");
        // open: no stop; its red runs from the due date to the as-at line, which ends the axis
        (await p.Locator("#pathway .cp-pathway__bars .cp-pathway__stop").CountAsync()).ShouldBe(0);
        var (x, w) = (double.Parse((await red.GetAttributeAsync("x"))!), double.Parse((await red.GetAttributeAsync("width"))!));
        (x + w).ShouldBe(1000, 0.01);
        (await p.GetAttributeAsync("#pathway .cp-pathway__bars line.cp-pathway__as-at", "x1")).ShouldBe("1000");
        (await p.TextContentAsync("#pathway svg desc"))!.ShouldEndWith("breached at the time chosen.");
        (await p.TextContentAsync("#pathway"))!.ShouldContain("As at Wed 13 Mar 2024 12:00");
    }

    /// <summary>Nothing pushes the page wider than the screen: no sideways scrolling.</summary>
    internal static async Task ShouldNotScrollSideways(IPage p, int width)
    {
        var scrollWidth = await p.EvaluateAsync<int>("document.documentElement.scrollWidth");
        scrollWidth.ShouldBeLessThanOrEqualTo(width, $"the page is {scrollWidth} px wide on a {width} px screen");
        var body = await p.EvaluateAsync<int>("document.body.scrollWidth");
        body.ShouldBeLessThanOrEqualTo(width);
        // nor does the clocks table hide a part of itself in a scrolling box
        if (await p.Locator("#clocks").CountAsync() > 0)
            (await p.EvaluateAsync<bool>("(() => { const t = document.querySelector('#clocks'); return t.scrollWidth <= t.parentElement.clientWidth; })()")).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_child_is_a_404_page()
    {
        var page = await browser.OpenAsync();
        var response = await page.Page.GotoAsync("/children/357/NOBODY");
        response!.Status.ShouldBe(404);
        (await page.Page.TextContentAsync("main"))!.ShouldContain("No events are recorded for child NOBODY");
    }

    /// <summary>True when the page is no wider than the window: nothing to scroll sideways.</summary>
    public static Task<bool> FitsTheWidth(IPage p) =>
        p.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    [Theory]
    [InlineData(1400, 900, "board-1400")]
    [InlineData(360, 740, "board-360")]
    public async Task The_board_opens_on_the_persons_council_and_last_complete_month_headline_first_at_both_widths(int width, int height, string name)
    {
        var page = await browser.OpenAsync(width: width, height: height);
        var p = page.Page;
        var response = await p.GotoAsync("/board", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        response!.Ok.ShouldBeTrue();
        // the first of the person's councils (ordinal order) and the month before the server's today
        var today = CasePathway.Domain.Time.London.DateOf(browser.ServerApp.Services.GetRequiredService<NodaTime.IClock>().GetCurrentInstant());
        var lastComplete = today.ToYearMonth().PlusMonths(-1).ToString("uuuu-MM", null);
        var first = Security.TestAccess.Councils.Order(StringComparer.Ordinal).First();
        p.Url.ShouldEndWith($"/board?tenant={first}&month={lastComplete}");
        await page.ScreenshotAsync(name);

        // the council is chosen from the person's own councils, not typed
        (await p.Locator("select#tenant option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"))
            .ShouldBe(Security.TestAccess.Councils.Order(StringComparer.Ordinal));
        (await p.Locator("input#tenant").CountAsync()).ShouldBe(0);

        // the headline comes before any chart, one row per indicator of the scorecard
        (await p.EvaluateAsync<bool>("() => !!(document.querySelector('#headline').compareDocumentPosition(document.querySelector('[data-chart]')) & Node.DOCUMENT_POSITION_FOLLOWING)")).ShouldBeTrue();
        (await p.Locator("#headline-table tbody tr").CountAsync()).ShouldBe(CasePathway.Domain.Scorecard.Indicators.All.Count);
        var month = NodaTime.Text.YearMonthPattern.Iso.Parse(lastComplete).Value;
        var fd8 = CasePathway.Domain.Scorecard.ScorecardCalculator.Compute(SampleBoard.Settings with { Tenant = first }, month, SampleBoard.Totals)["FD8"]!;
        var row = p.Locator("#indicator-fd8");
        (await row.Locator("td[data-label=Value] strong").TextContentAsync()).ShouldBe(fd8.Value!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%");
        (await row.Locator("td[data-label=Target]").TextContentAsync())!.Trim().ShouldBe("85.0%");
        (await row.Locator("td[data-label=RAG]").GetAttributeAsync("data-rag")).ShouldBe(CasePathway.Domain.Scorecard.BoardArithmetic.RagOf(fd8).ToString());
        (await row.Locator("td[data-label='Statistical neighbours']").TextContentAsync())!.Trim().ShouldBe("80.0%");
        (await row.Locator("td[data-label=England]").TextContentAsync())!.Trim().ShouldBe("78.5%");
        // the row links to its chart, which is on the page
        await row.Locator("a[href='#chart-trend-fd8']").ClickAsync();
        (await p.Locator("#chart-trend-fd8").IsVisibleAsync()).ShouldBeTrue();

        // each chart drawn from its table, one measure per axis
        (await p.Locator("[data-chart][data-chart-rendered='true']").CountAsync()).ShouldBe(await p.Locator("[data-chart]").CountAsync());
        (await p.Locator("#chart-trend-fd8 table tbody tr").CountAsync()).ShouldBe(6);
        var axes = await p.EvaluateAsync<string[]>("""
            () => { const c = Chart.getChart(document.querySelector('#chart-trend-fd8 canvas'));
                    return c.data.datasets.map(d => d.label + ':' + d.yAxisID + ':' + (d.type || c.config.type)).concat([String(c.scales.percent.max)]); }
            """);
        axes.ShouldBe(["FD8 %:percent:line", "Target %:percent:line", "Measured:count:bar", "100"]);
        (await p.Locator("#chart-fd9-days tbody tr[data-within=false]").CountAsync()).ShouldBe(2);
        var drawn = await p.EvaluateAsync<bool>("""
            () => { const c = document.querySelector('#chart-trend-fd8 canvas');
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }
            """);
        drawn.ShouldBeTrue();

        (await FitsTheWidth(p)).ShouldBeTrue($"the board scrolls sideways at {width} px");
        await ShouldBeClean(page);
        (await p.TextContentAsync("footer"))!.ShouldNotContain("CasePathway for CasePathway");
        (await p.ContentAsync()).ShouldNotContain("C100"); // no child identifiers on the board
    }

    [Fact]
    public async Task The_board_prints_as_a_board_paper_headline_first_without_navigation()
    {
        var page = await Visit("/board?tenant=357&month=2024-03", "board-screen");
        var p = page.Page;
        await p.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        foreach (var hidden in new[] { "form", ".govuk-service-navigation", ".govuk-footer", ".govuk-phase-banner" })
            (await p.IsVisibleAsync(hidden)).ShouldBeFalse(hidden);
        (await p.IsVisibleAsync("#headline-table")).ShouldBeTrue();
        (await p.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.cp-chart')).breakInside")).ShouldBe("avoid");
        (await p.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.cp-charts-heading')).breakBefore")).ShouldBe("page");
        await page.ScreenshotAsync("board-print");
        var pdf = await p.PdfAsync(new PagePdfOptions { Format = "A4", Landscape = true, PrintBackground = true,
            Path = Path.Combine(browser.ScreenshotFolder, "board-paper.pdf") });
        pdf.Length.ShouldBeGreaterThan(0);
        page.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_council_that_is_not_the_persons_is_not_found_on_the_board()
    {
        var page = await browser.OpenAsync();
        var response = await page.Page.GotoAsync("/board?tenant=ELSEWHERE&month=2024-03");
        response!.Status.ShouldBe(404);
    }

    [Fact]
    public async Task The_child_page_prints_without_its_controls()
    {
        var page = await Visit("/children/357/C100", "child-print-source");
        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        (await page.Page.IsVisibleAsync("form")).ShouldBeFalse();
        (await page.Page.IsVisibleAsync("#clocks")).ShouldBeTrue();
        (await page.Page.IsVisibleAsync("#pathway svg")).ShouldBeTrue();
        (await page.Page.IsVisibleAsync("#timeline")).ShouldBeTrue();
        await page.ScreenshotAsync("child-print");
    }
}
