using System.Runtime.CompilerServices;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// The bitemporal history of one child's clocks: the same pure fold, applied to what had been recorded
/// at each instant the child's knowledge changed. Consecutive identical versions are merged, so a clock
/// that no event changed keeps one row however many events the child has.
/// </summary>
/// <remarks>
/// A child of n events is folded at up to n instants. Each instant adds (or, by a retraction, removes) a few
/// events, and a rule's clocks depend only on the events of its own triggers' types (and on episode links, when
/// it resolves episodes through one), so only the rules those events touch are refolded; the rest keep their
/// clocks. Only the versions kept get their explanation texts and elapsed figures: the texts of the folds
/// merged away would never be stored or read. <c>ClockHistoryProperties</c> holds this to the whole fold at
/// every instant.
/// </remarks>
public static class ClockHistory
{
    public static IReadOnlyList<ClockVersion> Of(string tenant, string child, IReadOnlyList<PathwayEvent> events, TenantContext context)
    {
        var plan = Plan.For(context.Rulebook);
        var rules = plan.Rules;
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
        var timelineAt = TimelineSource(events);

        var clocks = new List<Clock>[rules.Count];
        var links = EpisodeLinks.From([], plan.LinkKinds);
        IReadOnlyList<PathwayEvent> previous = [];
        var previousIds = new HashSet<Guid>();
        (string? Team, string? Worker) allocation = (null, null);
        var dirty = new bool[rules.Count];

        var open = new Dictionary<(string Rule, string Episode), ClockVersion>();
        var history = new List<ClockVersion>();
        foreach (var knownFrom in recorded)
        {
            var timeline = timelineAt(knownFrom);
            var allocationNow = AllocationOf(timeline);
            bool changed;
            try
            {
                changed = Refold(timeline, knownFrom, full: false);
            }
            catch (ArgumentOutOfRangeException) when (events.Any(e => RecordedAt(e) <= knownFrom && retractedNow.Contains(e.Id)))
            {
                timeline = ClockFold.Timeline(events.Where(e => RecordedAt(e) <= knownFrom && !retractedNow.Contains(e.Id)), knownFrom);
                allocationNow = AllocationOf(timeline);
                changed = Refold(timeline, knownFrom, full: true);
            }
            previous = timeline;
            previousIds = timeline.Select(e => e.Id).ToHashSet();
            if (!changed && allocationNow == allocation) continue;
            // Versions made at this instant are evaluated at it, as a whole fold at this instant would make them.
            var current = new Dictionary<(string, string), ClockVersion>();
            for (var r = 0; r < rules.Count; r++)
            {
                foreach (var clock in clocks[r])
                {
                    var now = clock.EvaluatedAt == knownFrom ? clock : clock with { EvaluatedAt = knownFrom };
                    current[(clock.Rule, clock.Episode)] = new ClockVersion(
                        tenant, child, now, rules[r].Title, allocationNow.Team, allocationNow.Worker, knownFrom, null);
                }
            }
            allocation = allocationNow;
            foreach (var (key, version) in open.ToList())
            {
                if (current.TryGetValue(key, out var now) && now.SameInputs(version)) continue;
                history.Add(Finished(version, context) with { KnownTo = knownFrom });
                open.Remove(key);
            }
            foreach (var (key, version) in current)
                open.TryAdd(key, version);
        }
        history.AddRange(open.Values.Select(v => Finished(v, context)));
        return history;

        // Refolds the rules the difference from the previous instant's timeline touches (every rule when full);
        // true when any was refolded.
        bool Refold(IReadOnlyList<PathwayEvent> timeline, Instant evaluatedAt, bool full)
        {
            Array.Fill(dirty, full);
            var relinked = full;
            foreach (var e in Difference(previous, previousIds, timeline))
            {
                if (plan.RulesByType.TryGetValue(e.Type, out var touched))
                    foreach (var r in touched) dirty[r] = true;
                relinked |= plan.LinkTypes.Contains(e.Type);
            }
            if (relinked)
            {
                links = EpisodeLinks.From(timeline, plan.LinkKinds);
                foreach (var r in plan.Linked) dirty[r] = true;
            }
            var any = false;
            for (var r = 0; r < rules.Count; r++)
            {
                if (!dirty[r] && clocks[r] is not null) continue;
                clocks[r] = ClockFold.ClocksOf(rules[r], timeline, links, context.Rulebook, context.Calendar, evaluatedAt).ToList();
                any = true;
            }
            return any;
        }
    }

    // Only the first fold of each unchanged run becomes a version, so only its elapsed figure and explanations
    // are built, from the clock as folded at that version's knownFrom, as the full fold would have built them.
    private static ClockVersion Finished(ClockVersion version, TenantContext context) =>
        version with { Clock = ClockFold.Finished(version.Clock, context.Calendar) };

    private static (string? Team, string? Worker) AllocationOf(IReadOnlyList<PathwayEvent> timeline)
    {
        for (var i = timeline.Count - 1; i >= 0; i--)
            if (timeline[i].Data is CaseAllocated a) return (a.Team, a.Worker);
        return (null, null);
    }

    /// <summary>The events in one timeline and not the other, either way.</summary>
    private static IEnumerable<PathwayEvent> Difference(IReadOnlyList<PathwayEvent> before, HashSet<Guid> beforeIds, IReadOnlyList<PathwayEvent> after)
    {
        var kept = 0;
        foreach (var e in after)
        {
            if (beforeIds.Contains(e.Id)) kept++;
            else yield return e;
        }
        if (kept == before.Count) yield break;
        var afterIds = after.Select(e => e.Id).ToHashSet();
        foreach (var e in before)
            if (!afterIds.Contains(e.Id)) yield return e;
    }

    /// <summary>
    /// The timeline known at an instant (<see cref="ClockFold.Timeline"/> of the events recorded by then): the
    /// events are put in occurrence order once and filtered at each instant. A store's stream never repeats an id;
    /// a list that does is left to <see cref="ClockFold.Timeline"/>, whose choice among repeats depends on arrival.
    /// </summary>
    private static Func<Instant, IReadOnlyList<PathwayEvent>> TimelineSource(IReadOnlyList<PathwayEvent> events)
    {
        var ids = new HashSet<Guid>();
        if (!events.All(e => ids.Add(e.Id)))
            return at => ClockFold.Timeline(events.Where(e => RecordedAt(e) <= at), at);
        var ordered = events.Where(e => e.Data is not EventRetracted)
            .OrderBy(e => e.OccurredAt.ToInstant()).ThenBy(e => e.Id).ToArray();
        var retractions = events.Where(e => e.Data is EventRetracted).ToArray();
        return at =>
        {
            var retracted = retractions.Length == 0 ? null : ClockFold.Retracted(retractions.Where(r => RecordedAt(r) <= at));
            var timeline = new List<PathwayEvent>(ordered.Length);
            foreach (var e in ordered)
                if (RecordedAt(e) <= at && e.OccurredAt.ToInstant() <= at && retracted?.Contains(e.Id) != true)
                    timeline.Add(e);
            return timeline;
        };
    }

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

    /// <summary>
    /// What the incremental fold needs to know of a rulebook, worked out once per rulebook: its enabled rules, which
    /// of them each event type can touch, and the links episodes are resolved through.
    /// </summary>
    private sealed class Plan
    {
        private static readonly ConditionalWeakTable<Rulebook, Plan> Plans = new();

        public required IReadOnlyList<Rule> Rules { get; init; }
        public required IReadOnlyDictionary<string, int[]> RulesByType { get; init; }
        public required IReadOnlyList<EpisodeLink> LinkKinds { get; init; }
        public required IReadOnlySet<string> LinkTypes { get; init; }
        public required IReadOnlyList<int> Linked { get; init; }

        public static Plan For(Rulebook rulebook) => Plans.GetValue(rulebook, Build);

        private static Plan Build(Rulebook rulebook)
        {
            var rules = rulebook.Enabled.ToList();
            var triggers = rules.Select(r => r.Stops.Concat(r.Cancels).Append(r.Start).ToList()).ToList();
            var kinds = ClockFold.LinkKinds(rulebook).Distinct().ToList();
            return new Plan
            {
                Rules = rules,
                RulesByType = triggers.SelectMany((ts, r) => ts.Select(t => (t.Event, r))).Distinct()
                    .GroupBy(x => x.Event, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.r).ToArray(), StringComparer.Ordinal),
                LinkKinds = kinds,
                LinkTypes = kinds.Select(k => k.Event).ToHashSet(StringComparer.Ordinal),
                Linked = Enumerable.Range(0, rules.Count).Where(r => triggers[r].Any(t => t.Via is not null)).ToList(),
            };
        }
    }
}
