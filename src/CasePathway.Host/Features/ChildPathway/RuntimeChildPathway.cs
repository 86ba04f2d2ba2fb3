using CasePathway.Host.Runtime;
using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>A child's pathway, replayed from the child's stream (always current: no projection involved).</summary>
public sealed class RuntimeChildPathway(CasePathwayRuntime runtime) : IChildPathwaySource
{
    public Task<ChildPathway?> GetAsync(string tenant, string child, Instant? asAt, CancellationToken cancellationToken) =>
        runtime.Replay.GetAsync(tenant, child, asAt, cancellationToken);
}
