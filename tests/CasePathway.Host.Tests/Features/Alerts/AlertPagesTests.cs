using CasePathway.Host.Tests.Browser;
using CasePathway.Host.Tests.Security;
using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>The server of <see cref="AlertsHost"/> (alerts by SMTP to a loopback server) for the browser.</summary>
public sealed class AlertsBrowserFixture : BrowserFixture
{
    public LoopbackSmtpServer Smtp { get; } = new();
    public AlertsHost Host { get; }

    public AlertsBrowserFixture() => Host = new AlertsHost(new Dictionary<string, string?>
    {
        ["CasePathway:Alerts:Channel"] = "smtp",
        ["CasePathway:Alerts:Smtp:Host"] = "127.0.0.1",
        ["CasePathway:Alerts:Smtp:Port"] = Smtp.Port.ToString(),
        ["CasePathway:Alerts:Smtp:Security"] = "none",
        ["CasePathway:Alerts:Smtp:From"] = "casepathway@alpha.example",
    });

    protected override IAsyncLifetime Server => Host;
    protected override Uri BaseAddress => Host.BaseAddress;
    protected override Microsoft.AspNetCore.Builder.WebApplication App => Host.App!;
}

/// <summary>
/// The morning alerts pages in Chromium at a desk (1400 px) and on a phone (360 px): a duty manager subscribes on the
/// form, the message goes, and an administrator reads the sent list — no console error, no serious axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertPagesTests(AlertsBrowserFixture browser) : IClassFixture<AlertsBrowserFixture>
{
    private async Task<WatchedPage> OpenSignedInAsync(string[] roles, string[] teams)
    {
        var (name, password) = await TestAccess.AddUserAsync(TestAccess.Accounts(browser.ServerApp), roles, ["A"], teams);
        var state = await browser.SignInAsync(name, password);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = state,
            BaseURL = browser.Host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        return new WatchedPage(await context.NewPageAsync(), browser);
    }

    private static async Task ShouldBeClean(WatchedPage page)
    {
        page.Problems.ShouldBeEmpty();
        (await page.AxeViolationsAsync()).ShouldBeEmpty();
        // nothing runs off the right edge
        (await page.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("the page scrolls sideways");
    }

    [Fact]
    public async Task A_duty_manager_subscribes_and_an_administrator_sees_what_was_sent_at_both_widths()
    {
        var manager = await OpenSignedInAsync([Host.Security.Roles.DutyManager], ["MASH", "EAST"]);
        var p = manager.Page;
        await p.GotoAsync("/alerts?tenant=A", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await ShouldBeClean(manager);
        await manager.ScreenshotAsync("alerts-subscribe-1400");

        // a bad address is named beside its field and in the summary; nothing is stored
        await p.SelectOptionAsync("#team", "MASH");
        await p.FillAsync("#email", "not an address");
        await p.ClickAsync("button:has-text('Subscribe')");
        (await p.TextContentAsync(".govuk-error-summary"))!.ShouldContain("email must be an e-mail address");
        manager.Problems.ShouldAllBe(x => x.Contains("400"));
        manager.Problems.Clear();
        (await manager.AxeViolationsAsync()).ShouldBeEmpty();
        await manager.ScreenshotAsync("alerts-subscribe-error");

        await p.FillAsync("#email", "mash.manager@alpha.example");
        await p.FillAsync("#within", "2");
        await p.ClickAsync("button:has-text('Subscribe')");
        await p.WaitForURLAsync("**/alerts?tenant=A&done=subscribed");
        (await p.TextContentAsync(".govuk-notification-banner"))!.ShouldContain("You are subscribed");
        (await p.TextContentAsync(".cp-subscriptions"))!.ShouldContain("mash.manager@alpha.example");
        await ShouldBeClean(manager);
        await manager.ScreenshotAsync("alerts-subscribed-1400");
        await p.SetViewportSizeAsync(360, 740);
        await p.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await ShouldBeClean(manager);
        await manager.ScreenshotAsync("alerts-subscribed-360");

        await AlertsHost.EventuallyAsync(() => Task.FromResult(browser.Smtp.Received.Count == 1), "the morning message goes");

        var admin = await OpenSignedInAsync([Host.Security.Roles.Admin], []);
        var a = admin.Page;
        await a.GotoAsync("/alerts/sent?tenant=A", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var row = await a.TextContentAsync("table tbody tr");
        row.ShouldNotBeNull();
        row.ShouldContain("MASH");
        row.ShouldContain("smtp");
        row.ShouldContain("sent");
        row.ShouldContain("2 clocks");
        row.ShouldNotContain("mash.manager@alpha.example");
        await ShouldBeClean(admin);
        await admin.ScreenshotAsync("alerts-sent-1400");
        await a.SetViewportSizeAsync(360, 740);
        await a.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await ShouldBeClean(admin);
        await admin.ScreenshotAsync("alerts-sent-360");

        // the manager may not read the sent list, nor the administrator subscribe
        (await p.GotoAsync("/alerts/sent?tenant=A"))!.Status.ShouldBe(403);
        (await a.GotoAsync("/alerts?tenant=A"))!.Status.ShouldBe(403);
    }
}
