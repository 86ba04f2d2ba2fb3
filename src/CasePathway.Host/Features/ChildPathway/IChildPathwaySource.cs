using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>A child's pathway now or as at an instant; null when the tenant has no such child.</summary>
public interface IChildPathwaySource
{
    Task<ChildPathway?> GetAsync(string tenant, string child, NodaTime.Instant? asAt, CancellationToken cancellationToken);

    /// <summary>Every team the child's case has been allocated to (empty for a child the tenant does not have).</summary>
    Task<IReadOnlySet<string>> TeamsOfAsync(string tenant, string child, CancellationToken cancellationToken);
}
