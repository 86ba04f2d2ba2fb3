using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>A child's pathway now or as at an instant; null when the tenant has no such child.</summary>
public interface IChildPathwaySource
{
    Task<ChildPathway?> GetAsync(string tenant, string child, NodaTime.Instant? asAt, CancellationToken cancellationToken);
}
