using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// The bitemporal history of one child's clocks: the same pure fold, applied to what had been recorded
/// at each instant the child's knowledge changed. Consecutive identical versions are merged, so a clock
/// that no event changed keeps one row however many events the child has. The folds here leave out the
/// explanation texts and elapsed figures, and only the versions kept get them: a child of n events is folded
/// about n times, and the texts of the folds merged away would never be stored or read.
/// </summary>
public static class ClockHistory
{
    public static IReadOnlyList<ClockVersion> Of(string tenant, string child, IReadOnlyList<PathwayEvent> events, TenantContext context)
    {
        // An event counts from when it was both recorded and had happened: the store stamps a live append
        // without recordedAt with its receipt time, which can precede a future-dated occurrence, and the
        // fold ignores events that have not yet occurred. Folding only at recording instants would then
        // never take such an event into the current version.
        var recorded = events.Select(CountsFrom).Distinct().Order().ToList();
        // Retracted as at this read: a version from before the retraction was recorded still folds such an event,
        // as an as-at replay would, unless the engine cannot compute on it at all (a date outside the working
        // calendar, say). Then the retraction heals: that version is folded without what has since been retracted,
        // so retracting a poison event unparks its child (docs/operations.md, Parked children).
        var retractedNow = ClockFold.Retracted(events);
        var open = new Dictionary<(string Rule, string Episode), ClockVersion>();
        var history = new List<ClockVersion>();
        foreach (var knownFrom in recorded)
        {
            var known = events.Where(e => RecordedAt(e) <= knownFrom);
            Pathway pathway;
            try
            {
                pathway = ClockFold.FoldUnfinished(known, context.Rulebook, context.Calendar, knownFrom);
            }
            catch (ArgumentOutOfRangeException) when (known.Any(e => retractedNow.Contains(e.Id)))
            {
                pathway = ClockFold.FoldUnfinished(known.Where(e => !retractedNow.Contains(e.Id)), context.Rulebook, context.Calendar, knownFrom);
            }
            var current = new Dictionary<(string, string), ClockVersion>();
            foreach (var clock in pathway.Clocks)
            {
                var title = context.Rulebook.Find(clock.Rule)?.Title ?? clock.Rule;
                current[(clock.Rule, clock.Episode)] = new ClockVersion(
                    tenant, child, clock, title, pathway.Allocation?.Team, pathway.Allocation?.Worker, knownFrom, null);
            }
            foreach (var (key, previous) in open.ToList())
            {
                if (current.TryGetValue(key, out var now) && now.SameInputs(previous)) continue;
                history.Add(Finished(previous, context) with { KnownTo = knownFrom });
                open.Remove(key);
            }
            foreach (var (key, version) in current)
                open.TryAdd(key, version);
        }
        history.AddRange(open.Values.Select(v => Finished(v, context)));
        return history;
    }

    // Only the first fold of each unchanged run becomes a version, so only its elapsed figure and explanations
    // are built, from the clock as folded at that version's knownFrom, as the full fold would have built them.
    private static ClockVersion Finished(ClockVersion version, TenantContext context) =>
        version with { Clock = ClockFold.Finished(version.Clock, context.Calendar) };

    private static Instant CountsFrom(PathwayEvent e)
    {
        var recorded = RecordedAt(e);
        // A retraction corrects the record, not the world: the fold applies it whenever it occurred, so it
        // counts from its recording (an as-at replay between the two would otherwise disagree with these rows).
        if (e.Data is EventRetracted) return recorded;
        var occurred = e.OccurredAt.ToInstant();
        return occurred > recorded ? occurred : recorded;
    }

    /// <summary>When the authority came to know an event; the store always fills it in.</summary>
    public static Instant RecordedAt(PathwayEvent e) =>
        e.RecordedAt ?? throw new InvalidOperationException($"event {e.Id} has no recorded time");
}
