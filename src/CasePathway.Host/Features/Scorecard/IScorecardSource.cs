using CasePathway.Domain.Scorecard;
using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>A tenant's scorecard for a month, and the items behind an indicator's figure.</summary>
public interface IScorecardSource
{
    Task<ScorecardReport> GetAsync(string tenant, YearMonth month, CancellationToken ct = default);

    /// <summary>Null when no indicator has that id.</summary>
    Task<IReadOnlyList<IndicatorItem>?> ItemsAsync(string tenant, string indicatorId, YearMonth month, CancellationToken ct = default);
}
