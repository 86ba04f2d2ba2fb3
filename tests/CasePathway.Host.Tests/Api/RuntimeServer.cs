using CasePathway.Domain.Tenants;
using CasePathway.Host.Runtime;
using CasePathway.Host.Tests.Security;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using CasePathway.Testing;
using Microsoft.AspNetCore.Builder;
using NodaTime;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// The real web app as <c>serve</c> runs it — the runtime, the projection worker, the real queries — on
/// 127.0.0.1 at a port the system chose, against a fresh database of its own, with "now" pinned.
/// </summary>
public class RuntimeServer : TestDatabase
{
    public const string FallbackCouncil = "Testshire County Council";
    public const string AlphaCouncil = "Alpha Borough Council";

    /// <summary>The pinned "now": Thursday 14 March 2024, 10:00 UTC.</summary>
    public static readonly Instant Now = Instant.FromUtc(2024, 3, 14, 10, 0);

    private WebApplication? app;

    public CasePathwayRuntime Runtime { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public const int MaxEvents = 20;

    /// <summary>A client signed in as <see cref="Security.TestAccess.Roles"/> of <see cref="Security.TestAccess.Councils"/> (a token from the server's /connect/token).</summary>
    public HttpClient CreateClient() => new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken(Token);

    /// <summary>A client that has not signed in.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public string Token { get; private set; } = "";

    public WebApplication App => app!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Runtime = await CasePathwayRuntime.OpenAsync(ConnectionString, Tenants, new FixedClock(Now));
        await SeedAsync(Runtime);
        app = WebApp.Build(
            new WebAppSettings
            {
                Urls = "http://127.0.0.1:0",
                Configuration = new Dictionary<string, string?>
                {
                    ["CasePathway:CouncilName"] = FallbackCouncil,
                    ["CasePathway:Batch:MaxEvents"] = MaxEvents.ToString(),
                    ["Logging:LogLevel:Default"] = "Warning",
                }.Concat(Configuration).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            },
            services =>
            {
                services.AddCasePathwayRuntime(Runtime, RunProjections);
                ConfigureServices(services);
            });
        await app.StartAsync();
        BaseAddress = new Uri(WebApp.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        Token = await TestAccess.TokenAsync(app, BaseAddress);
    }

    /// <summary>The councils' configuration files (by default one council, A, with a name and nothing else).</summary>
    protected virtual TenantDirectory Tenants => new([new TenantSettings("A", AlphaCouncil)]);

    /// <summary>Settings added to (or replacing) the app's configuration.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Configuration => [];

    /// <summary>Whether this server runs Marten's daemon (as <c>serve</c> does).</summary>
    protected virtual bool RunProjections => true;

    /// <summary>Registrations added after the runtime's (a log sink, say).</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }

    /// <summary>Data stored before the server starts (none by default: tests post their own).</summary>
    protected virtual Task SeedAsync(CasePathwayRuntime runtime) => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
        if (Runtime is not null) await Runtime.DisposeAsync();
        await base.DisposeAsync();
    }
}
