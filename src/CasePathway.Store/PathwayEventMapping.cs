using CasePathway.Domain.Events;

namespace CasePathway.Store;

/// <summary>The bridge between the contract's envelope and the store's rows. A child's events form one stream.</summary>
public static class PathwayEventMapping
{
    /// <summary>
    /// The event as the store takes it, with its data in canonical JSON. Without a recordedAt, a live
    /// append leaves it to the store's receipt time; an import (<paramref name="inferRecordedAt"/>) uses
    /// the occurrence's instant (a date-only occurrence: the start of that London day), marked inferred.
    /// </summary>
    public static NewEvent ToNewEvent(this PathwayEvent e, bool inferRecordedAt)
    {
        var inferred = e.RecordedAt is null && inferRecordedAt;
        return new NewEvent(
            e.Id,
            e.Data,
            e.OccurredAt,
            inferred ? e.OccurredAt.ToInstant() : e.RecordedAt,
            inferred,
            e.RecordedBy,
            e.SourceSystem,
            e.SourceKey,
            e.CorrelationId);
    }

    /// <summary>The stream an event belongs to.</summary>
    public static string StreamOf(this PathwayEvent e) => e.Child;

    /// <summary>
    /// The stored event in the contract's shape, recordedAt filled from the store.
    /// </summary>
    public static PathwayEvent ToPathwayEvent(this StoredEvent e) => new(
        e.Id,
        e.Tenant,
        e.Stream,
        e.OccurredAt,
        e.Data,
        e.RecordedAt,
        e.RecordedBy,
        e.SourceSystem,
        e.SourceKey,
        e.CorrelationId);

    /// <summary>Events grouped into one append per tenant and child, in their given order.</summary>
    public static IReadOnlyList<StreamAppend> ToStreamAppends(this IEnumerable<PathwayEvent> events, bool inferRecordedAt, ExpectedVersion? expected = null) =>
        events
            .GroupBy(e => (e.Tenant, Stream: e.StreamOf()))
            .Select(g => new StreamAppend(g.Key.Tenant, g.Key.Stream, expected ?? ExpectedVersion.Any,
                g.Select(e => e.ToNewEvent(inferRecordedAt)).ToList()))
            .ToList();
}
