using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Browser;

/// <summary>
/// An administrator asks for a child's record and is asked why first (<c>/reason</c>), at a desk and on a phone: the
/// form, its error for a blank reason, then the record with the reason in its address. No serious axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReasonPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1400, 900, "1400")]
    [InlineData(360, 740, "360")]
    public async Task An_administrator_states_a_reason_before_reading_a_childs_record(int width, int height, string name)
    {
        var (user, password) = await Security.TestAccess.AddUserAsync(Security.TestAccess.Accounts(browser.ServerApp), [Host.Security.Roles.Admin], ["357"]);
        var page = await browser.OpenAsync(width: width, height: height, state: await browser.SignInAsync(user, password));
        var p = page.Page;

        await p.GotoAsync("/children/357/C100?asAt=2024-03-12T12:00");
        await p.WaitForURLAsync("**/reason?returnUrl=*");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await p.TextContentAsync("h1"))!.ShouldContain("Why do you need this child's record?");
        (await p.InputValueAsync("input[name=returnUrl]")).ShouldBe("/children/357/C100?asAt=2024-03-12T12:00");
        await page.ScreenshotAsync($"reason-ask-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        await PageTests.ShouldNotScrollSideways(p, width);

        // a blank reason is named in the summary and beside the field, which links to it; no record is shown
        await p.FillAsync("#reason", "   ");
        await p.ClickAsync("button:has-text('Continue to the record')");
        await p.WaitForSelectorAsync(".govuk-error-summary");
        (await p.TextContentAsync(".govuk-error-summary"))!.ShouldContain("Enter why you need this record");
        (await p.TextContentAsync("#reason-error"))!.ShouldContain("Enter why you need this record");
        (await p.GetAttributeAsync("#reason", "aria-describedby"))!.ShouldContain("reason-error");
        (await p.GetAttributeAsync(".govuk-error-summary a", "href")).ShouldBe("#reason");
        (await p.Locator("#timeline").CountAsync()).ShouldBe(0);
        await page.ScreenshotAsync($"reason-ask-error-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        await PageTests.ShouldNotScrollSideways(p, width);
        // the form with a problem is answered 400, which Chromium logs: expected, and the only problem so far
        page.Problems.ShouldBe(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        page.Problems.Clear();

        await p.FillAsync("#reason", "Subject access request SAR-2024-117");
        await p.ClickAsync("button:has-text('Continue to the record')");
        await p.WaitForURLAsync("**/children/357/C100?*reason=*");
        await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Uri.UnescapeDataString(new Uri(p.Url).Query).ShouldContain("asAt=2024-03-12T12:00");
        (await p.Locator("#timeline .cp-timeline__line").CountAsync()).ShouldBeGreaterThan(0);
        await page.ScreenshotAsync($"reason-record-{name}");
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        page.Problems.ShouldBeEmpty();
    }
}
