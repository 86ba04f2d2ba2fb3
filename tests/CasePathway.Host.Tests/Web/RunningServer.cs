using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Scorecard;
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

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

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
