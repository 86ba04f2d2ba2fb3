using CasePathway.Host.Output;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using NodaTime;
using Npgsql;
using Wolverine.Http;

namespace CasePathway.Host.Web;

/// <summary>
/// The web app: Razor Pages for people, Wolverine HTTP endpoints for programs, on Kestrel bound to loopback.
/// Built here so that <c>serve</c> and the tests start the very same app.
/// </summary>
public static class WebApp
{
    /// <param name="configureServices">Registrations added last (the read sources; tests add theirs).</param>
    public static WebApplication Build(WebAppSettings settings, Action<IServiceCollection>? configureServices = null)
    {
        var urls = LoopbackUrls.Parse(settings.Urls);
        var webRoot = WebRoot.Locate(settings.WebRoot);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // the Razor Pages are compiled into this assembly, whichever program hosts it
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = webRoot,
        });
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024; // batch endpoints raise it with WithBatchLimits
        });
        builder.WebHost.UseUrls(urls.Select(u => u.GetLeftPart(UriPartial.Authority)).ToArray());

        var services = builder.Services;
        services.Configure<CouncilOptions>(builder.Configuration.GetSection(CouncilOptions.Section));
        services.AddSingleton<CouncilNames>();
        services.ConfigureHttpJsonOptions(o => JsonOutput.Configure(o.SerializerOptions));
        var batch = builder.Configuration.GetSection(BatchLimits.Section).Get<BatchLimits>() ?? new BatchLimits();
        services.AddSingleton(batch);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        if (settings.ConnectionString is { } connectionString)
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        ProblemResponses.Register(services);
        Health.Register(services);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CasePathway";
            document.Info.Description = "Statutory timescales in children's social care. Every rejection is application/problem+json naming the field and the problem.";
            return Task.CompletedTask;
        }).AddOperationTransformer(ApiDescriptions.DescribeFromMethod));
        Security.WebHardening.Add(services, builder.Configuration);
        Security.Access.Add(services, builder.Configuration);
        services.AddRazorPages(o => Security.AccessPolicies.Apply(o.Conventions)).AddRazorPagesOptions(o => o.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.ResponseCacheAttribute { NoStore = true, Location = Microsoft.AspNetCore.Mvc.ResponseCacheLocation.None }));
        services.AddAntiforgery();
        Runtime.StartupTimes.Mark("builder made");
        configureServices?.Invoke(services);
        Messaging.Add(services, builder.Configuration);

        var app = builder.Build();
        Runtime.StartupTimes.Mark("container built");
        Security.WebHardening.UseHostCheck(app);
        ProblemResponses.Use(app);
        app.Use(SecurityHeaders);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(webRoot),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        Security.WebHardening.UseNoStore(app);
        app.UseRouting();
        Security.Access.Use(app);
        Runtime.StartupTimes.Mark("keys, audit tables, key ring read");
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json");
        Health.Map(app);
        // the API and the CSV export: each slice's *Endpoints class in Features/<slice>/
        app.MapWolverineEndpoints(o => o.ConfigureEndpoints(chain =>
        {
            if (chain.Method.Method.IsDefined(typeof(AcceptsBatchAttribute), inherit: false)) chain.Metadata.WithBatchLimits(batch);
            ApiDescriptions.DropGuessedResponses(chain);
            Security.AccessPolicies.Apply(chain);
        }));
        app.MapGet("/", () => Results.Redirect("/breaches")).ExcludeFromDescription();
        app.MapRazorPages();
        Security.Access.Map(app);
        return app;
    }

    /// <summary>The app's own addresses once started (port 0 resolved to the one Kestrel chose).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // everything the pages load is served from here (no CDN); no inline scripts
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        return next();
    }
}

/// <summary>The council's own name, shown in the header (<c>CasePathway:CouncilName</c>).</summary>
public sealed class CouncilOptions
{
    public const string Section = "CasePathway";
    public string CouncilName { get; set; } = CouncilNames.Product;
}
