using CasePathway.Host.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CasePathway.Host.Web;

/// <summary>
/// Ready only while every projection is within <see cref="ReadinessOptions.MaxProjectionLag"/> events of
/// the log's high-water mark: further behind, the breach list would be stale (the API still catches up
/// before answering, but slowly).
/// </summary>
public sealed class ProjectionsNotFarBehind(CasePathwayRuntime runtime, ReadinessOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = new List<string>();
        var worst = 0L;
        foreach (var projection in runtime.Projections)
        {
            var status = await projection.StatusAsync(cancellationToken);
            worst = Math.Max(worst, status.Lag);
            if (status.Lag > options.MaxProjectionLag) behind.Add($"{status.Name} is {status.Lag} events behind");
        }
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"projections at most {worst} events behind (limit {options.MaxProjectionLag})")
            : HealthCheckResult.Unhealthy(string.Join("; ", behind) + $" (limit {options.MaxProjectionLag})");
    }
}

/// <summary>Readiness thresholds (<c>CasePathway:Ready</c>).</summary>
public sealed class ReadinessOptions
{
    public const string Section = "CasePathway:Ready";

    /// <summary>Most events a projection may trail the log by while the app reports ready.</summary>
    public long MaxProjectionLag { get; set; } = 5000;
}
