using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CasePathway.Host.Web;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: every check tagged
/// <see cref="ReadyTag"/> passes — the database is reachable and, once the projections register their
/// own check (<c>AddCheck&lt;T&gt;(name, tags: [Health.ReadyTag])</c>), they are not far behind.
/// </summary>
public static class Health
{
    public const string ReadyTag = "ready";

    /// <summary>A check that has not answered by then fails: a database that is gone must not make readiness hang.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IHealthChecksBuilder Register(IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseReachable>("database", tags: [ReadyTag], timeout: CheckTimeout);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, report) =>
            {
                Runtime.StartupTimes.LiveAnswered();
                return WriteAsync(context, report);
            },
        }).WithDisplayName("health: live");
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).WithDisplayName("health: ready");
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}

/// <summary>Ready only when a query reaches the configured database. Says why not, without the connection string.</summary>
public sealed class DatabaseReachable(NpgsqlDataSource? dataSource = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (dataSource is null) return HealthCheckResult.Unhealthy("no database is configured (set CASEPATHWAY_DB)");
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"the database does not answer: {e.GetType().Name}");
        }
    }
}
