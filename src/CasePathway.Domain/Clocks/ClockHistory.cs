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
        // Retracted as at this read: a version from before the retraction was recorded still folds such an event,
        // as an as-at replay would, unless the engine cannot compute on it at all (a date outside the working
        // calendar, say). Then the retraction heals: that version is folded without what has since been retracted,
        // so retracting a poison event unparks its child (docs/operations.md, Parked children).
        var retractedNow = ClockFold.Retracted(events);
        var known = KnownTimeline.Of(events);

        // What each instant works in is made once per child and refilled: a child is folded at up to as many
        // instants as it has events, and most instants change one rule's clocks, or none.
        var clocks = new List<Clock>?[rules.Count];
        var links = EpisodeLinks.None;
        (string? Team, string? Worker) allocation = (null, null);
        var dirty = new bool[rules.Count];
        var current = new Dictionary<(string Rule, string Episode), (Clock Clock, int Rule)>();

        var open = new Dictionary<(string Rule, string Episode), ClockVersion>();
        var history = new List<ClockVersion>();
        foreach (var knownFrom in KnowledgeInstants(events))
        {
            known.MoveTo(knownFrom);
            var allocationNow = AllocationOf(known.Timeline);
            bool changed;
            try
            {
                changed = Refold(known.Changed, knownFrom, full: false);
            }
            catch (ArgumentOutOfRangeException) when (events.Any(e => RecordedAt(e) <= knownFrom && retractedNow.Contains(e.Id)))
            {
                known.Heal(ClockFold.Timeline(events.Where(e => RecordedAt(e) <= knownFrom && !retractedNow.Contains(e.Id)), knownFrom));
                allocationNow = AllocationOf(known.Timeline);
                changed = Refold([], knownFrom, full: true);
            }
            if (!changed && allocationNow == allocation) continue;
            current.Clear();
            for (var r = 0; r < rules.Count; r++)
                foreach (var clock in clocks[r]!)
                    current[(clock.Rule, clock.Episode)] = (clock, r);
            allocation = allocationNow;
            // A dictionary may lose entries while it is enumerated (not gain them): the open versions are gone
            // through in the order a copy of them would give.
            foreach (var (key, version) in open)
            {
                if (current.TryGetValue(key, out var now) && version.SameInputs(now.Clock, allocationNow.Team, allocationNow.Worker)) continue;
                history.Add(Finished(version, knownFrom, context));
                open.Remove(key);
            }
            // Only a clock that starts a version becomes one: the rest were compared by their inputs alone.
            // Versions made at this instant are evaluated at it, as a whole fold at this instant would make them.
            foreach (var (key, (clock, r)) in current)
            {
                if (open.ContainsKey(key)) continue;
                var now = clock.EvaluatedAt == knownFrom ? clock : clock with { EvaluatedAt = knownFrom };
                open.Add(key, new ClockVersion(tenant, child, now, rules[r].Title, allocationNow.Team, allocationNow.Worker, knownFrom, null));
            }
        }
        foreach (var version in open.Values) history.Add(Finished(version, null, context));
        return history;

        // Refolds the rules the events that came into or left the timeline touch (every rule when full); true when
        // any was refolded.
        bool Refold(IReadOnlyList<PathwayEvent> difference, Instant evaluatedAt, bool full)
        {
            Array.Fill(dirty, full);
            var relinked = full;
            foreach (var e in difference)
            {
                if (plan.RulesByType.TryGetValue(e.Type, out var touched))
                    foreach (var r in touched) dirty[r] = true;
                relinked |= plan.LinkTypes.Contains(e.Type);
            }
            if (relinked)
            {
                links = EpisodeLinks.From(known.Timeline, plan.LinkKinds);
                foreach (var r in plan.Linked) dirty[r] = true;
            }
            var any = false;
            for (var r = 0; r < rules.Count; r++)
            {
                if (!dirty[r] && clocks[r] is not null) continue;
                var folded = clocks[r] ??= [];
                folded.Clear();
                ClockFold.AddClocksOf(rules[r], known.Timeline, links, context.Rulebook, context.Calendar, evaluatedAt, folded);
                any = true;
            }
            return any;
        }
    }

    /// <summary>
    /// The instants at which what the fold sees can change, ascending: each event's <see cref="CountsFrom"/>.
    /// </summary>
    private static List<Instant> KnowledgeInstants(IReadOnlyList<PathwayEvent> events)
    {
        // An event counts from when it was both recorded and had happened: the store stamps a live append
        // without recordedAt with its receipt time, which can precede a future-dated occurrence, and the
        // fold ignores events that have not yet occurred. Folding only at recording instants would then
        // never take such an event into the current version.
        var counts = new Instant[events.Count];
        for (var i = 0; i < counts.Length; i++) counts[i] = CountsFrom(events[i]);
        Array.Sort(counts);
        var instants = new List<Instant>(counts.Length);
        foreach (var at in counts)
            if (instants.Count == 0 || instants[^1] != at) instants.Add(at);
        return instants;
    }

    // Only the first fold of each unchanged run becomes a version, so only its elapsed figure and explanations
    // are built, from the clock as folded at that version's knownFrom, as the full fold would have built them.
    private static ClockVersion Finished(ClockVersion version, Instant? knownTo, TenantContext context) =>
        version with { Clock = ClockFold.Finished(version.Clock, context.Calendar), KnownTo = knownTo };

    private static (string? Team, string? Worker) AllocationOf(IReadOnlyList<PathwayEvent> timeline)
    {
        for (var i = timeline.Count - 1; i >= 0; i--)
            if (timeline[i].Data is CaseAllocated a) return (a.Team, a.Worker);
        return (null, null);
    }

    /// <summary>
    /// The timeline known at each instant in turn (<see cref="ClockFold.Timeline"/> of the events recorded by then),
    /// and the events that came into it or left it since the previous instant. The events are put in occurrence order,
    /// and their instants worked out, once; at each instant one kept list is refilled, and each event remembers
    /// whether it counted, so the difference needs no sets of ids. The instants must come in ascending order.
    /// </summary>
    private sealed class KnownTimeline
    {
        /// <summary>The events other than retractions, in occurrence order; null when the list repeats an id.</summary>
        private readonly PathwayEvent[]? ordered;
        private readonly Instant[] occurred = [];
        private readonly Instant[] recorded = [];
        private readonly bool[] counted = [];

        /// <summary>The retractions, in order of recording: those recorded by an instant are the first so many.</summary>
        private readonly PathwayEvent[] retractions = [];
        private int retractionsKnown;
        private IReadOnlySet<Guid>? retracted;

        /// <summary>A list that repeats an id: each timeline is <see cref="ClockFold.Timeline"/>'s, whose choice among repeats depends on arrival.</summary>
        private readonly IReadOnlyList<PathwayEvent> events;
        private HashSet<Guid> previousIds = [];

        private KnownTimeline(IReadOnlyList<PathwayEvent> events) => this.events = events;

        private KnownTimeline(IReadOnlyList<PathwayEvent> events, PathwayEvent[] ordered, Instant[] occurred, PathwayEvent[] retractions) : this(events)
        {
            this.ordered = ordered;
            this.occurred = occurred;
            this.retractions = retractions;
            recorded = Array.ConvertAll(ordered, RecordedAt);
            counted = new bool[ordered.Length];
        }

        /// <summary>The events that count at the instant last moved to, in occurrence order.</summary>
        public List<PathwayEvent> Timeline { get; } = [];

        /// <summary>The events in this timeline and not the previous one, either way.</summary>
        public List<PathwayEvent> Changed { get; } = [];

        public static KnownTimeline Of(IReadOnlyList<PathwayEvent> events)
        {
            // A store's stream never repeats an id.
            var ids = new HashSet<Guid>(events.Count);
            foreach (var e in events)
                if (!ids.Add(e.Id)) return new KnownTimeline(events);
            // Ordered as ClockFold.Timeline orders (by occurrence, then id): with no id repeated, no two are equal.
            var ordered = events.Where(e => e.Data is not EventRetracted).ToArray();
            var order = Array.ConvertAll(ordered, e => (Occurred: e.OccurredAt.ToInstant(), e.Id));
            Array.Sort(order, ordered);
            var retractions = events.Where(e => e.Data is EventRetracted).OrderBy(RecordedAt).ToArray();
            return new KnownTimeline(events, ordered, Array.ConvertAll(order, o => o.Occurred), retractions);
        }

        public void MoveTo(Instant at)
        {
            Changed.Clear();
            if (ordered is null)
            {
                Replace(ClockFold.Timeline(events.Where(e => RecordedAt(e) <= at), at));
                return;
            }
            var known = retractionsKnown;
            while (known < retractions.Length && RecordedAt(retractions[known]) <= at) known++;
            if (known != retractionsKnown)
            {
                retractionsKnown = known;
                retracted = ClockFold.Retracted(new ArraySegment<PathwayEvent>(retractions, 0, known));
            }
            Timeline.Clear();
            for (var i = 0; i < ordered.Length; i++)
            {
                var counts = recorded[i] <= at && occurred[i] <= at && retracted?.Contains(ordered[i].Id) != true;
                if (counts) Timeline.Add(ordered[i]);
                if (counts == counted[i]) continue;
                counted[i] = counts;
                Changed.Add(ordered[i]);
            }
        }

        /// <summary>Takes <paramref name="healed"/> as the timeline at the instant last moved to (see <see cref="Of"/>'s retractions that heal).</summary>
        public void Heal(IReadOnlyList<PathwayEvent> healed)
        {
            if (ordered is null)
            {
                Replace(healed);
                return;
            }
            var healedIds = healed.Select(e => e.Id).ToHashSet();
            for (var i = 0; i < ordered.Length; i++) counted[i] = healedIds.Contains(ordered[i].Id);
            Timeline.Clear();
            Timeline.AddRange(healed);
        }

        private void Replace(IReadOnlyList<PathwayEvent> next)
        {
            var nextIds = next.Select(e => e.Id).ToHashSet();
            foreach (var e in next)
                if (!previousIds.Contains(e.Id)) Changed.Add(e);
            foreach (var e in Timeline)
                if (!nextIds.Contains(e.Id)) Changed.Add(e);
            previousIds = nextIds;
            Timeline.Clear();
            Timeline.AddRange(next);
        }
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
