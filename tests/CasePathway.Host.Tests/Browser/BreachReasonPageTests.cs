using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Browser;

/// <summary>The demo dataset on its own server: recording reasons changes its data, so no other browser test shares it.</summary>
public sealed class ReasonBrowserFixture : BrowserFixture
{
    private readonly DemoServer demo = new();

    protected override IAsyncLifetime Server => demo;

    protected override Uri BaseAddress => demo.BaseAddress;

    protected override Microsoft.AspNetCore.Builder.WebApplication App => demo.App;
}

/// <summary>
/// A manager records why a clock breached from the breach list, on a wide screen and on a phone, in real Chromium
/// over the demo data: the form, its error for "other" without a note, and the list showing the reason afterwards.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BreachReasonPageTests(ReasonBrowserFixture browser) : IClassFixture<ReasonBrowserFixture>
{
    private const string List = $"/breaches?tenant={DemoServer.Tenant}&status=breached";

    [Theory]
    [InlineData(1400, 900, "wide")]
    [InlineData(360, 740, "phone")]
    public async Task A_manager_records_a_reason_from_the_breach_list(int width, int height, string name)
    {
        var page = await browser.OpenAsync();
        var p = page.Page;
        await p.SetViewportSizeAsync(width, height);
        (await p.GotoAsync(List, new() { WaitUntil = WaitUntilState.NetworkIdle }))!.Ok.ShouldBeTrue();
        // a breached clock with no reason yet (the other width's test may have recorded one already)
        var row = p.Locator("#breaches tbody tr").Filter(new() { Has = p.Locator("a.cp-record-reason:has-text('Record a reason')") }).First;
        var child = (await row.Locator("td").First.TextContentAsync())!.Trim();
        await row.Locator("a.cp-record-reason").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync($"reason-list-{name}");
        await row.Locator("a.cp-record-reason").ClickAsync();
        await p.WaitForURLAsync($"**/children/{DemoServer.Tenant}/{child}/reason?*");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await p.Locator("input[name=reason]").CountAsync()).ShouldBe(5, "the demo council offers the default list");
        await page.ScreenshotAsync($"reason-form-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();

        // "other" needs a note: said beside the field and in the summary, nothing recorded
        await p.CheckAsync("#reason-other");
        await p.ClickAsync("#record-reason");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await p.TextContentAsync(".govuk-error-summary"))!.ShouldContain("needs a note");
        (await p.TextContentAsync("#note-error"))!.ShouldContain("needs a note");
        await page.ScreenshotAsync($"reason-form-error-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        // the form with a problem is answered 400, which Chromium logs: expected here, and the only problem so far
        page.Problems.ShouldBe(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        page.Problems.Clear();

        await p.CheckAsync("#reason-awaiting-partner");
        await p.FillAsync("#note", "Police could not attend until the 21st");
        await p.ClickAsync("#record-reason");
        await p.WaitForURLAsync("**/breaches?*status=breached*");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var shown = p.Locator("#breaches tbody tr").Filter(new() { Has = p.Locator($"td:first-child a:text-is('{child}')") })
            .Locator(".cp-reason[data-reason='awaiting-partner']");
        (await shown.CountAsync()).ShouldBeGreaterThan(0, $"the list shows {child}'s reason");
        (await shown.First.TextContentAsync())!.ShouldContain("Police could not attend until the 21st");
        // said in words, like the timeline: no ISO instant beside the reason
        (await shown.First.TextContentAsync())!.ShouldNotMatch(@"\d{4}-\d\d-\d\d");
        await shown.First.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync($"reason-recorded-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        // the reason column does not push the page, nor at a desk the table, sideways (on a phone the table scrolls in its own region)
        await PageTests.ShouldNotScrollSideways(p, width);
        if (width >= 1400)
            (await p.EvaluateAsync<int>("(() => { const t = document.querySelector('#breaches'); return t.scrollWidth - t.closest('.cp-scroll').clientWidth; })()"))
                .ShouldBeLessThanOrEqualTo(0, "the breach list scrolls sideways inside its region at 1400 px");

        // and the child's page shows it beside the clock
        await p.GotoAsync($"/children/{DemoServer.Tenant}/{child}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        (await p.Locator("#clocks .cp-reason[data-reason='awaiting-partner']").CountAsync()).ShouldBeGreaterThan(0);
        page.Problems.ShouldBeEmpty();
    }
}
