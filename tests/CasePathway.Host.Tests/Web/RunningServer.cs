using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Host.Tests.Security;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CasePathway.Host.Tests.Web;

/// <summary>
/// The real web app on Kestrel at 127.0.0.1 and a port the system chose, with the test read models.
/// Against CASEPATHWAY_DB when set (ops/test sets it), so readiness sees a real database.
/// </summary>
public sealed class RunningServer : IAsyncLifetime
{
    public const string CouncilName = "Testshire County Council";

    private WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    public string? ConnectionString { get; } = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") is { Length: > 0 } db ? db : null;

    /// <summary>A client signed in as <see cref="Security.TestAccess.Roles"/> of <see cref="Security.TestAccess.Councils"/> (a token from the server's /connect/token).</summary>
    public HttpClient CreateClient() => new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token);

    /// <summary>A client that has not signed in.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public string Token { get; private set; } = "";

    public WebApplication App => app!;

    public async Task InitializeAsync()
    {
        app = WebApp.Build(
            new WebAppSettings
            {
                Urls = "http://127.0.0.1:0",
                ConnectionString = ConnectionString,
                Configuration = new Dictionary<string, string?>
                {
                    ["CasePathway:CouncilName"] = CouncilName,
                    ["CasePathway:Batch:MaxBytes"] = "2048",
                    ["Logging:LogLevel:Default"] = "Warning",
                },
            },
            services =>
            {
                services.AddSingleton<IBreachListSource, SampleBreachList>();
                services.AddSingleton<IChildPathwaySource, SampleChildPathway>();
                services.AddSingleton<IBoardSource, SampleBoard>();
            });
        TestEndpoints.Map(app);
        await app.StartAsync();
        BaseAddress = new Uri(WebApp.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        Token = await TestAccess.TokenAsync(app, BaseAddress);
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}

/// <summary>Endpoints that exist only in tests, to exercise the app's error handling for real.</summary>
internal static class TestEndpoints
{
    public static void Map(WebApplication app)
    {
        var limits = app.Services.GetRequiredService<BatchLimits>();
        app.MapPost("/api/test/batch", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Ok(new { length = body.Length });
        }).WithBatchLimits(limits).ExcludeFromDescription();
        app.MapGet("/api/test/fail", IResult () => throw new InvalidOperationException("secret detail that must not leak")).ExcludeFromDescription();
    }
}
