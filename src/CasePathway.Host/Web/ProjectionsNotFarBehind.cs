using CasePathway.Host.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CasePathway.Host.Web;

/// <summary>
/// Ready only while every projection's Marten progression is within <see cref="ReadinessOptions.MaxProjectionLag"/>
/// events of the log's highest committed sequence: further behind, the breach list and the scorecard are stale
/// (requests read the read models as they are; only the child pages fold the stream directly).
/// </summary>
public sealed class ProjectionsNotFarBehind(CasePathwayRuntime runtime, ReadinessOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = new List<string>();
        var worst = 0L;
        foreach (var status in await runtime.Projections.StatusAsync(cancellationToken))
        {
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
