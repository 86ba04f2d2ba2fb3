using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;
using CasePathway.Store;

namespace CasePathway.Projections.Timeline;

/// <summary>One event in a child's timeline, with how many working days late it was recorded and who held the case.</summary>
public sealed record TimelineRow(StoredEvent Event, bool Retracted, int LateWorkingDays, string? Team, string? Worker)
{
    /// <summary>
    /// The rows of one child's stream. Lateness counts working days from the occurrence's date to the
    /// recording's London date (docs/conventions.md); an inferred recording time is never late.
    /// </summary>
    public static IReadOnlyList<TimelineRow> Of(IReadOnlyList<StoredEvent> stream, IReadOnlyList<PathwayEvent> events, TenantContext context)
    {
        var retracted = events.Select(e => e.Data).OfType<EventRetracted>().Select(r => r.RetractedId).ToHashSet();
        var allocations = events
            .Where(e => e.Data is CaseAllocated && !retracted.Contains(e.Id))
            .OrderBy(e => e.OccurredAt.ToInstant())
            .ToList();
        var rows = new List<TimelineRow>(stream.Count);
        foreach (var stored in stream)
        {
            var late = stored.RecordedAtInferred
                ? 0
                : Math.Max(0, context.Calendar.WorkingDaysBetween(stored.OccurredAt.Date, London.DateOf(stored.RecordedAt)));
            var at = stored.OccurredAt.ToInstant();
            var allocation = allocations.LastOrDefault(a => a.OccurredAt.ToInstant() <= at)?.Data as CaseAllocated;
            rows.Add(new TimelineRow(stored, retracted.Contains(stored.Id), late, allocation?.Team, allocation?.Worker));
        }
        return rows;
    }
}
