using CasePathway.Domain.Events;
using CasePathway.Domain.Scorecard;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Projections.Tests.Scorecard;

/// <summary>
/// Events written by hand for one tenant, stored in the real database and projected by the real
/// projection; the scorecard is then read back through the real query.
/// </summary>
internal sealed class ScorecardWorld(ProjectionDatabase db, string tenant, TenantDirectory tenants)
{
    private readonly List<PathwayEvent> _pending = [];

    public string Tenant => tenant;

    /// <summary>Adds an event; <paramref name="at"/> is an instant with offset or a date, as in the contract.</summary>
    public PathwayEvent Add(string child, string at, IPathwayEventData data, string? recordedAt = null)
    {
        var occurred = OccurrenceText.ParseOccurrence(at) ?? throw new ArgumentException($"not an occurrence: {at}");
        var recorded = recordedAt is null ? (Instant?)null : OccurrenceText.ParseInstant(recordedAt) ?? throw new ArgumentException(recordedAt);
        var e = new PathwayEvent(Guid.NewGuid(), tenant, child, occurred, data, recorded);
        _pending.Add(e);
        return e;
    }

    public void Retract(string child, string at, PathwayEvent e) => Add(child, at, new EventRetracted(e.Id));

    /// <summary>Stores what was added since the last call and brings the projections up to date.</summary>
    public async Task ProjectAsync()
    {
        await db.EventStore.BulkAppendAsync(_pending.ToStreamAppends(inferRecordedAt: true));
        _pending.Clear();
        await db.CatchUpAsync();
    }

    public ScorecardQuery Query => new(db.DataSource, tenants);

    public Task<ScorecardReport> MonthAsync(int year, int month) => Query.GetAsync(tenant, new YearMonth(year, month));

    public static string NewTenant() => "T" + Guid.NewGuid().ToString("N")[..8];
}
