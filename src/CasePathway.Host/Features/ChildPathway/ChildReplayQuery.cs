using System.Text.Json;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.BreachReasons;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Output;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Timeline;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>
/// A child's pathway as the authority knew it at an instant: the stream filtered to what had been
/// recorded by then, folded by the same pure code the projection uses, evaluated at that instant — and,
/// set apart, what was recorded afterwards and how late.
/// </summary>
public sealed class ChildReplayQuery(IEventStore store, TenantDirectory tenants, IClock clock) : IChildPathwaySource
{
    /// <summary>The pathway, or null when the tenant has no such child.</summary>
    public async Task<ChildPathway?> GetAsync(string tenant, string child, Instant? asAt = null, CancellationToken ct = default)
    {
        var stream = await store.ReadStreamAsync(tenant, child, ct: ct);
        if (stream.Count == 0) return null;
        var at = asAt ?? clock.GetCurrentInstant();
        var context = tenants.For(tenant);
        var events = stream.Select(e => e.ToPathwayEvent()).ToList();
        var known = events.Where(e => ClockHistory.RecordedAt(e) <= at).ToList();
        var knownStream = stream.Where(e => e.RecordedAt <= at).ToList();
        Pathway pathway;
        try
        {
            pathway = ClockFold.Fold(known, context.Rulebook, context.Calendar, at);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The projections park such a child (docs/operations.md); its own record says so rather than fail.
            throw new ChildRecordUnfoldableException(e.Message, e);
        }
        // Retractions and allocations recorded after the instant must not colour the as-at timeline.
        var timeline = InOccurrenceOrder(TimelineRow.Of(knownStream, known, context))
            .Where(r => r.Event.OccurredAt.ToInstant() <= at).Select(Entry).ToList();
        var later = InOccurrenceOrder(TimelineRow.Of(stream, events, context))
            .Where(r => r.Event.RecordedAt > at).Select(Entry).ToList();
        // only reasons recorded by the instant: the as-at page shows what the authority knew then
        var reasons = Domain.Clocks.BreachReasons.AsAt(events, at);
        var clocks = pathway.Clocks
            .OrderBy(c => c.Started.ToInstant()).ThenBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.Episode, StringComparer.Ordinal)
            .Select(c => new ClockView(
                tenant, child, c.Rule, context.Rulebook.Find(c.Rule)?.Title ?? c.Rule, c.Episode,
                c.Unit, ClockText.Time(c.Unit, c.Started), ClockText.Due(c.Due),
                c.Stopped is { } s ? ClockText.Time(c.Unit, s) : null, c.StatusAt(at),
                c.Elapsed, c.Explanation, pathway.Allocation?.Team, pathway.Allocation?.Worker,
                reasons.TryGetValue((c.Rule, c.Episode), out var reason) ? BreachReasonView.Of(reason, context.Reasons) : null))
            .ToList();
        return new ChildPathway(tenant, child, at, asAt is not null, pathway.Allocation?.Team, pathway.Allocation?.Worker, timeline, clocks, later);
    }

    /// <summary>
    /// Read from the stream, not a projection, so an allocation is honoured the moment it is stored; a
    /// retracted allocation still counts (the team once held the case).
    /// </summary>
    public async Task<IReadOnlySet<string>> TeamsOfAsync(string tenant, string child, CancellationToken ct = default) =>
        (await store.ReadStreamAsync(tenant, child, ct: ct))
            .Select(e => e.ToPathwayEvent().Data).OfType<Domain.Events.CaseAllocated>()
            .Select(a => a.Team).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<TimelineRow> InOccurrenceOrder(IEnumerable<TimelineRow> rows) =>
        rows.OrderBy(r => r.Event.OccurredAt.ToInstant()).ThenBy(r => r.Event.Sequence);

    private static TimelineEntry Entry(TimelineRow row)
    {
        var e = row.Event;
        return new TimelineEntry(
            e.Sequence, e.Id, e.Type, e.OccurredAt.ToString(), OccurrenceText.Format(e.RecordedAt), e.RecordedAtInferred,
            OccurrenceText.Format(e.StoredAt), e.RecordedBy, e.SourceSystem, Data(e.DataJson), row.Retracted, row.LateWorkingDays);
    }

    private static JsonElement Data(string json)
    {
        using var data = JsonDocument.Parse(json);
        return data.RootElement.Clone();
    }
}

/// <summary>
/// A child's stored record holds an event the clock engine cannot count (stored before the door's limits, say):
/// the projections park the child; its page, the API and replay say so instead of failing.
/// </summary>
public sealed class ChildRecordUnfoldableException(string reason, Exception inner)
    : InvalidOperationException($"this child's record holds an event the clock engine cannot count ({reason}); the child is parked: retract the event, then `projections retry` (docs/operations.md, parked children)", inner);
