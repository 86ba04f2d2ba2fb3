using System.Text.Json;
using CasePathway.Host.Tests.Web;
using Microsoft.Playwright;

namespace CasePathway.Host.Tests.Browser;

/// <summary>
/// The real server and Debian's Chromium (/usr/bin/chromium, installed by ops/browser) driven by
/// Playwright's own driver from its NuGet package. No browser is downloaded.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    /// <summary>The server the pages come from: the sample read models here; subclasses start another.</summary>
    protected virtual IAsyncLifetime Server { get; } = new RunningServer();

    protected virtual Uri BaseAddress => ((RunningServer)Server).BaseAddress;
    protected virtual Microsoft.AspNetCore.Builder.WebApplication App => ((RunningServer)Server).App;

    public Microsoft.AspNetCore.Builder.WebApplication ServerApp => App;

    /// <summary>The browser state of a person signed in through the embedded provider's form (cookies).</summary>
    public string SignedInState { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public string AxeScript { get; private set; } = "";
    public string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot.Path, "test-output", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ops/browser (Debian's chromium package)");
        var axe = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe)) throw new InvalidOperationException($"{axe} is missing: run ops/assets");
        AxeScript = await File.ReadAllTextAsync(axe);
        Directory.CreateDirectory(ScreenshotFolder);
        await Server.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        var (name, password) = await Security.TestAccess.AddUserAsync(Security.TestAccess.Accounts(App));
        SignedInState = await SignInAsync(name, password);
    }

    /// <summary>Signs in as a person does (a page, the provider's form, back to the page); the browser state afterwards.</summary>
    public async Task<string> SignInAsync(string name, string password)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/board");
        await page.WaitForURLAsync("**/account/signin?*");
        await page.FillAsync("#username", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync("**/board*");
        return await context.StorageStateAsync();
    }

    /// <summary>A fresh page that records console errors and failed requests.</summary>
    /// <param name="state">Another person's browser state (from <see cref="SignInAsync"/>) instead of the fixture's.</param>
    public async Task<WatchedPage> OpenAsync(bool signedIn = true, int width = 1280, int height = 900, string? state = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = state ?? (signedIn ? SignedInState : null),
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        return new WatchedPage(await context.NewPageAsync(), this);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed class WatchedPage
{
    private readonly BrowserFixture fixture;

    public WatchedPage(IPage page, BrowserFixture fixture)
    {
        Page = page;
        this.fixture = fixture;
        page.Console += (_, m) => { if (m.Type == "error") Problems.Add($"console: {m.Text}"); };
        page.PageError += (_, e) => Problems.Add($"page error: {e}");
        page.RequestFailed += (_, r) => Problems.Add($"request failed: {r.Url} {r.Failure}");
    }

    public IPage Page { get; }

    /// <summary>Console errors, script errors and failed requests seen so far.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>axe-core's serious and critical violations (WCAG 2.x A and AA, and best practice).</summary>
    public async Task<IReadOnlyList<string>> AxeViolationsAsync()
    {
        // evaluated through the driver rather than a <script> tag, which the app's CSP rightly refuses
        await Page.EvaluateAsync("() => { " + fixture.AxeScript + "\n}");
        await Page.EvaluateAsync("() => { if (!window.axe) throw new Error('axe-core did not load'); }");
        var json = await Page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
              return JSON.stringify(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).join(', ')));
            }
            """);
        return JsonSerializer.Deserialize<string[]>(json)!;
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fixture.ScreenshotFolder, name + ".png"), FullPage = true });
}

/// <summary>The repository's root: the folder holding CasePathway.sln, above the test assembly.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CasePathway.sln"))) return dir.FullName;
        throw new InvalidOperationException("CasePathway.sln not found above " + AppContext.BaseDirectory);
    }
}
