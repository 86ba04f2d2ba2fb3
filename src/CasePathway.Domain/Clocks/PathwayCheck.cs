using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using NodaTime;
using System.Runtime.CompilerServices;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// The ordering rules of one child's events (a stop or cancel not before its episode's start, in either arrival
/// order; a retraction of an event that exists; reasons for delay), checked one event after another as a fold: what the rules look at — the child's ids, its timeline in occurrence order,
/// its episode links, and for each rule the first start and the stops and cancels of every episode — is kept from
/// event to event instead of being rebuilt from the whole stream for each one. An import checks every event of a
/// child against all its earlier ones; rebuilding that state per event made the rules the largest CPU part of a bulk
/// append. The answers are those of the whole-stream check first written, error for error and in the same order (a
/// property test holds the two together on random pathways; the whole-stream check is kept there as the oracle).
/// <see cref="PathwayValidation.Check(IReadOnlyList{PathwayEvent}, PathwayEvent, TenantContext)"/> is this check for
/// one event.
/// <para>
/// <see cref="Add"/> what the stream holds (a stored prefix is not checked again), then for each incoming event
/// <see cref="Check"/> it and <see cref="Add"/> it when accepted. Not thread-safe: one per child.
/// </para>
/// </summary>
public sealed class PathwayCheck
{
    /// <summary>
    /// From this many events in the timeline, each rule's starts, stops and cancels are kept by episode; below it, a
    /// scan of the timeline costs less than keeping them (most children have a handful of events, and an import
    /// makes one check per child).
    /// </summary>
    public const int KeptFrom = 24;

    // Below this many events, an id is looked for among them rather than in a set of its own.
    private const int IdSetFrom = 16;

    private static readonly IReadOnlySet<Guid> NoneRetracted = new HashSet<Guid>();

    private readonly TenantContext _context;
    private readonly RulebookIndex _book;
    private readonly int _keptFrom;
    private readonly List<PathwayEvent> _events = [];
    private HashSet<Guid>? _ids;
    private List<PathwayEvent>? _retractions;
    private IReadOnlySet<Guid> _retracted = NoneRetracted;
    // ClockFold.Timeline of the events so far: not retractions, not retracted, first of each id, by occurrence then id.
    private readonly List<Entry> _timeline = [];
    private EpisodeLinks _links = EpisodeLinks.None;
    // Per rule of the rulebook (by position): null until asked for, and again whenever the links change.
    private RuleState?[] _rules = [];

    public PathwayCheck(TenantContext context) : this(context, KeptFrom) { }

    /// <param name="keptFrom">From how many events of the timeline the per-rule state is kept (the tests try both ways at every size).</param>
    internal PathwayCheck(TenantContext context, int keptFrom)
    {
        _context = context;
        _book = RulebookIndex.Of(context.Rulebook);
        _keptFrom = keptFrom;
    }

    /// <summary>Every event added, in the order given (the stream an incoming event is checked against).</summary>
    public IReadOnlyList<PathwayEvent> Events => _events;

    /// <summary>Whether an event of this id was added.</summary>
    public bool Contains(Guid id)
    {
        if (_ids is not null) return _ids.Contains(id);
        foreach (var e in _events)
        {
            if (e.Id == id) return true;
        }
        return false;
    }

    /// <summary>Adds an event of the child's stream (stored, or accepted by <see cref="Check"/>), unchecked.</summary>
    public void Add(PathwayEvent e)
    {
        var again = Contains(e.Id);
        _events.Add(e);
        if (_ids is not null) _ids.Add(e.Id);
        else if (_events.Count >= IdSetFrom) _ids = _events.Select(x => x.Id).ToHashSet();
        if (again) return; // the timeline keeps the first event of an id
        if (e.Data is EventRetracted)
        {
            (_retractions ??= []).Add(e);
            var retracted = ClockFold.Retracted(_retractions);
            if (retracted.SetEquals(_retracted)) return;
            _retracted = retracted;
            Rebuild();
            return;
        }
        if (_retracted.Contains(e.Id)) return;
        var entry = new Entry(e);
        _timeline.Insert(Position(_timeline, entry), entry);
        if (_book.IsLinkEvent(entry.Type))
        {
            _links = EpisodeLinks.From(EventsOf(_timeline), _book.LinkKinds);
            _rules = [];
            return;
        }
        foreach (var r in _book.RulesOf(entry.Type))
        {
            if (r < _rules.Length) _rules[r]?.Add(entry, _book.Rules[r], _book.Enders[r], _links);
        }
    }

    /// <summary>What the rules answer for <paramref name="incoming"/> joining <see cref="Events"/>: empty when it may.</summary>
    public IReadOnlyList<FieldError> Check(PathwayEvent incoming)
    {
        var errors = PathwayValidation.CheckFields(incoming).ToList();
        if (incoming.Data is EventRetracted { RetractedId: var target } && target != Guid.Empty && !Contains(target))
            errors.Add(new FieldError("data.retractedId", $"no event {target} in child {incoming.Child}'s pathway to retract"));
        if (errors.Count == 0) CheckOrder(incoming, errors);
        if (errors.Count == 0) errors.AddRange(BreachReasons.Check(_events, incoming, _context));
        return errors.Count > 1 ? errors.Distinct().ToList() : errors;
    }

    private void CheckOrder(PathwayEvent incoming, List<FieldError> errors)
    {
        var type = incoming.Type;
        var candidates = _book.RulesOf(type);
        if (candidates.Length == 0) return;
        // The incoming event's own links count after the timeline's (it joins the timeline last). When it adds
        // one, the kept per-rule state (made with the timeline's links alone) may not hold for it: scan instead.
        var added = _book.IsLinkEvent(type) ? _links.With(incoming, _book.LinkKinds) : null;
        var links = added ?? _links;
        foreach (var r in candidates)
        {
            var rule = _book.Rules[r];
            var startsHere = rule.Start.Matches(incoming);
            var enders = _book.Enders[r];
            var endsHere = false;
            foreach (var t in enders) endsHere |= t.Matches(incoming);
            if (!startsHere && !endsHere) continue;
            var state = added is null && _timeline.Count >= _keptFrom ? State(r) : null;

            // An incoming stop or cancel before its episode's start.
            if (endsHere)
            {
                foreach (var trigger in enders)
                {
                    if (!trigger.Matches(incoming) || trigger.EpisodeOf(incoming.Data, links) is not { } episode) continue;
                    var start = state is not null ? state.FirstStartOf(episode) : FirstStart(rule, episode, links);
                    if (start is not null && incoming.OccurredAt.IsBefore(start.OccurredAt))
                        errors.Add(BeforeStart(incoming, start, trigger.EpisodeField, EventFields.Read(incoming.Data, trigger.EpisodeField)!));
                }
            }

            // An incoming start after a stop or cancel already recorded for its episode.
            if (startsHere && rule.Start.EpisodeOf(incoming.Data, links) is { } started)
            {
                var earlier = state is not null ? state.FirstStartOf(started) : FirstStart(rule, started, links);
                if (earlier is not null && !incoming.OccurredAt.IsBefore(earlier.OccurredAt)) continue; // not the start that counts
                if (state is not null)
                {
                    if (state.Enders?.TryGetValue(started, out var ended) == true)
                    {
                        foreach (var e in ended) AfterEnd(incoming, e.Event, rule, started, errors);
                    }
                }
                else
                {
                    foreach (var e in _timeline)
                    {
                        if (EndsEpisode(enders, e.Event, links, started)) AfterEnd(incoming, e.Event, rule, started, errors);
                    }
                }
            }
        }
    }

    private static void AfterEnd(PathwayEvent incoming, PathwayEvent e, Rule rule, string started, List<FieldError> errors)
    {
        if (e.OccurredAt.IsBefore(incoming.OccurredAt))
            errors.Add(new FieldError("occurredAt",
                $"{incoming.Type} ({rule.Start.EpisodeField} {started}) occurred at {incoming.OccurredAt}, after {e.Type} of the same episode at {e.OccurredAt}: it must come first"));
    }

    private static bool EndsEpisode(Trigger[] enders, PathwayEvent e, EpisodeLinks links, string episode)
    {
        foreach (var t in enders)
        {
            if (t.Matches(e) && t.EpisodeOf(e.Data, links) == episode) return true;
        }
        return false;
    }

    private PathwayEvent? FirstStart(Rule rule, string episode, EpisodeLinks links)
    {
        foreach (var e in _timeline)
        {
            if (rule.Start.Matches(e.Event) && string.Equals(rule.Start.EpisodeOf(e.Event.Data, links), episode, StringComparison.Ordinal)) return e.Event;
        }
        return null;
    }

    private RuleState State(int r)
    {
        if (_rules.Length == 0) _rules = new RuleState?[_book.Rules.Count];
        if (_rules[r] is { } kept) return kept;
        var state = new RuleState();
        foreach (var e in _timeline) state.Add(e, _book.Rules[r], _book.Enders[r], _links);
        return _rules[r] = state;
    }

    private void Rebuild()
    {
        _timeline.Clear();
        var seen = new HashSet<Guid>();
        foreach (var e in _events)
        {
            if (seen.Add(e.Id) && e.Data is not EventRetracted && !_retracted.Contains(e.Id)) _timeline.Add(new Entry(e));
        }
        _timeline.Sort(Entry.Compare);
        _links = EpisodeLinks.From(EventsOf(_timeline), _book.LinkKinds);
        _rules = [];
    }

    private static IEnumerable<PathwayEvent> EventsOf(List<Entry> entries)
    {
        foreach (var e in entries) yield return e.Event;
    }

    private static int Position(List<Entry> list, Entry entry)
    {
        // After the last entry that sorts before it (ids are distinct: no two entries compare equal).
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Entry.Compare(list[mid], entry) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static FieldError BeforeStart(PathwayEvent incoming, PathwayEvent start, string field, string id) =>
        new("occurredAt", $"{incoming.Type} ({field} {id}) occurred at {incoming.OccurredAt}, before its {start.Type} at {start.OccurredAt}");

    /// <summary>An event of the timeline with what it is sorted and matched by, worked out once.</summary>
    private readonly record struct Entry(PathwayEvent Event, Instant At, string Type)
    {
        public Entry(PathwayEvent e) : this(e, e.OccurredAt.ToInstant(), e.Type) { }

        // ClockFold.Timeline's order: occurrence, then id.
        public static int Compare(Entry a, Entry b)
        {
            var byTime = a.At.CompareTo(b.At);
            return byTime != 0 ? byTime : a.Event.Id.CompareTo(b.Event.Id);
        }
    }

    /// <summary>One rule over the timeline: each episode's first start, and its stops and cancels in timeline order.</summary>
    private sealed class RuleState
    {
        private Dictionary<string, Entry>? _firstStart;

        public Dictionary<string, List<Entry>>? Enders { get; private set; }

        public PathwayEvent? FirstStartOf(string episode) =>
            _firstStart is not null && _firstStart.TryGetValue(episode, out var first) ? first.Event : null;

        public void Add(Entry e, Rule rule, Trigger[] enders, EpisodeLinks links)
        {
            if (rule.Start.Matches(e.Event) && rule.Start.EpisodeOf(e.Event.Data, links) is { } started)
            {
                _firstStart ??= new Dictionary<string, Entry>(StringComparer.Ordinal);
                if (!_firstStart.TryGetValue(started, out var first) || Entry.Compare(e, first) < 0) _firstStart[started] = e;
            }
            string? listed = null;
            List<string>? more = null;
            foreach (var t in enders)
            {
                if (!t.Matches(e.Event) || t.EpisodeOf(e.Event.Data, links) is not { } episode) continue;
                // Once per episode however many of its triggers match (the check names the event once).
                if (listed is null) listed = episode;
                else if (listed == episode || (more ??= []).Contains(episode)) continue;
                else more.Add(episode);
                Enders ??= new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
                if (!Enders.TryGetValue(episode, out var list)) Enders[episode] = list = [];
                list.Insert(Position(list, e), e);
            }
        }
    }

    /// <summary>What the checks need of a rulebook, worked out once per rulebook.</summary>
    private sealed class RulebookIndex
    {
        private static readonly ConditionalWeakTable<Rulebook, RulebookIndex> Cache = new();
        private readonly Dictionary<string, int[]> _rulesByType = new(StringComparer.Ordinal);
        private readonly HashSet<string> _linkEvents = new(StringComparer.Ordinal);

        private RulebookIndex(Rulebook rulebook)
        {
            Rules = rulebook.Rules;
            Enders = rulebook.Rules.Select(r => r.Stops.Concat(r.Cancels).ToArray()).ToArray();
            // Episodes resolve through the links of every rule's stops and cancels.
            LinkKinds = rulebook.Rules.SelectMany(r => r.Stops.Concat(r.Cancels)).Select(t => t.Via).OfType<EpisodeLink>().Distinct().ToList();
            foreach (var kind in LinkKinds) _linkEvents.Add(kind.Event);
            var types = rulebook.Rules.SelectMany(r => r.Stops.Concat(r.Cancels).Append(r.Start)).Select(t => t.Event).Distinct(StringComparer.Ordinal);
            foreach (var type in types)
            {
                _rulesByType[type] = Enumerable.Range(0, Rules.Count)
                    .Where(i => Rules[i].Stops.Concat(Rules[i].Cancels).Append(Rules[i].Start).Any(t => t.Event == type))
                    .ToArray();
            }
        }

        public IReadOnlyList<Rule> Rules { get; }

        public Trigger[][] Enders { get; }

        public IReadOnlyList<EpisodeLink> LinkKinds { get; }

        public static RulebookIndex Of(Rulebook rulebook) => Cache.GetValue(rulebook, static b => new RulebookIndex(b));

        /// <summary>The rules (by position, in the rulebook's order) with a trigger on events of this type.</summary>
        public int[] RulesOf(string type) => _rulesByType.GetValueOrDefault(type) ?? [];

        public bool IsLinkEvent(string type) => _linkEvents.Contains(type);
    }
}
