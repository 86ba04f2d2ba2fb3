using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace CasePathway.Host.Security;

/// <summary>
/// The rest of a careful web application: the Host header checked (DNS rebinding), rate limits on signing in
/// and on tokens, no-store on every answer but the static files, request logs kept out of Information (they
/// carry child ids and attacker-chosen text), and a warning when the listening addresses were widened.
/// </summary>
public static class WebHardening
{
    public const string TokenLimit = "token";
    public const string SignInLimit = "sign-in";

    /// <summary>Host names answered when <c>AllowedHosts</c> is not configured: loopback only.</summary>
    public static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var allowed = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddHostFiltering(o =>
        {
            // loopback names always: the host redeems sign-in codes at itself over loopback
            o.AllowedHosts = allowed.Contains("*") ? LoopbackHosts : [.. LoopbackHosts, .. allowed];
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        var perMinute = configuration.GetValue("CasePathway:Auth:RequestsPerMinute", 60);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(TokenLimit, c => RateLimitPartition.GetFixedWindowLimiter(c.Connection.RemoteIpAddress?.ToString() ?? "", _ =>
                new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(SignInLimit, c => RateLimitPartition.GetFixedWindowLimiter(c.Connection.RemoteIpAddress?.ToString() ?? "", _ =>
                new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddLogging(b => b
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Authentication", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Authorization", LogLevel.Warning)
            .AddFilter("OpenIddict", LogLevel.Warning));
    }

    /// <summary>First in the pipeline: a request for another host name gets 400 before anything reads it.</summary>
    public static void UseHostCheck(WebApplication app)
    {
        app.UseHostFiltering();
        app.Lifetime.ApplicationStarted.Register(() => WarnIfWidened(app));
    }

    /// <summary>After the static files: everything else the app answers is no-store (child data must not sit in caches).</summary>
    public static void UseNoStore(WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
                return Task.CompletedTask;
            });
            return next();
        });
        app.UseRateLimiter();
    }

    private static void WarnIfWidened(WebApplication app)
    {
        var wide = Widened(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (wide.Count > 0)
            app.Logger.LogWarning("CasePathway listens beyond loopback at {Addresses} (set by Kestrel configuration or ASPNETCORE_URLS, not by serve --urls): anyone who can reach it sees the sign-in page", string.Join(", ", wide));
    }

    /// <summary>The listening addresses that reach beyond this machine (a wildcard, any address, a named host or a public IP).</summary>
    public static IReadOnlyList<string> Widened(IEnumerable<string> addresses) =>
        addresses.Where(a => !Uri.TryCreate(a.Replace("*", "wildcard.invalid").Replace("+", "wildcard.invalid"), UriKind.Absolute, out var u)
            || !(u.IsLoopback || u.Host is "127.0.0.1" or "[::1]" or "localhost")).ToList();
}
