using System.Collections.Frozen;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// The clock engine: one child's events in, every clock of every enabled rule out, evaluated at an
/// instant. Pure — the live projection, a rebuild and an as-at replay all call this. The caller filters
/// by knowledge time (recordedAt) for as-at replays; this filters by occurrence.
/// </summary>
public static class ClockFold
{
    public static Pathway Fold(IEnumerable<PathwayEvent> events, Rulebook rulebook, WorkingCalendar calendar, Instant evaluatedAt) =>
        Fold(events, rulebook, calendar, evaluatedAt, finish: true);

    /// <summary>
    /// The fold without each clock's elapsed figure and explanation texts (0 and empty): <see cref="ClockHistory"/>
    /// folds a child at every recording instant but keeps only the versions that changed, so building the
    /// calendar's sentences and working-day counts at every fold is work nobody reads. It finishes those alone
    /// (<see cref="Finished"/>), which gives exactly what <see cref="Fold(IEnumerable{PathwayEvent}, Rulebook, WorkingCalendar, Instant)"/> gives.
    /// </summary>
    internal static Pathway FoldUnfinished(IEnumerable<PathwayEvent> events, Rulebook rulebook, WorkingCalendar calendar, Instant evaluatedAt) =>
        Fold(events, rulebook, calendar, evaluatedAt, finish: false);

    /// <summary>A clock from <see cref="FoldUnfinished"/> with its elapsed figure and explanations, as the full fold builds them.</summary>
    internal static Clock Finished(Clock clock, WorkingCalendar calendar)
    {
        var elapsed = ClockElapsed.Of(calendar, clock.Started, clock.Stopped, clock.Cancelled, clock.EvaluatedAt, clock.Unit);
        // The full explanation begins with how the due date was counted: the calendar's sentence is built once for both.
        // Neither text reads the elapsed figure, so the clock is copied once, with all three.
        var due = ClockExplanation.ExplainDue(clock, calendar);
        return clock with { Elapsed = elapsed, Explanation = ClockExplanation.Explain(clock, calendar, due), DueExplanation = due };
    }

    private static Pathway Fold(IEnumerable<PathwayEvent> events, Rulebook rulebook, WorkingCalendar calendar, Instant evaluatedAt, bool finish)
    {
        var timeline = Timeline(events, evaluatedAt);
        var links = EpisodeLinks.From(timeline, LinkKinds(rulebook));
        var clocks = new List<Clock>();
        foreach (var rule in rulebook.Enabled) AddClocksOf(rule, timeline, links, rulebook, calendar, evaluatedAt, clocks);
        if (finish)
            for (var i = 0; i < clocks.Count; i++) clocks[i] = Finished(clocks[i], calendar);
        var allocation = timeline.LastOrDefault(e => e.Data is CaseAllocated) is { Data: CaseAllocated a } last
            ? new Allocation(a.Team, a.Worker, last.OccurredAt, last.Id)
            : null;
        var first = timeline.FirstOrDefault();
        return new Pathway(first?.Tenant, first?.Child, evaluatedAt, clocks, allocation);
    }

    /// <summary>The links the enabled rules' triggers resolve episodes through.</summary>
    internal static IEnumerable<EpisodeLink> LinkKinds(Rulebook rulebook) =>
        rulebook.Enabled.SelectMany(r => r.Stops.Concat(r.Cancels).Append(r.Start)).Select(t => t.Via).OfType<EpisodeLink>();

    /// <summary>
    /// The events that count at <paramref name="evaluatedAt"/>, in occurrence order. Retracted events count
    /// nowhere, whenever the retraction occurred (it corrects the record, not the world). Ties are broken by
    /// event id so any permutation of the input gives the same order; a date-only occurrence sorts at the
    /// start of its London day.
    /// </summary>
    public static IReadOnlyList<PathwayEvent> Timeline(IEnumerable<PathwayEvent> events, Instant evaluatedAt)
    {
        var distinct = events.GroupBy(e => e.Id).Select(g => g.First()).ToList();
        var retracted = Retracted(distinct);
        return distinct
            .Where(e => e.Data is not EventRetracted && !retracted.Contains(e.Id) && e.OccurredAt.ToInstant() <= evaluatedAt)
            .OrderBy(e => e.OccurredAt.ToInstant())
            .ThenBy(e => e.Id)
            .ToList();
    }

    /// <summary>The ids of the events retracted by a retraction that is not itself retracted.</summary>
    public static IReadOnlySet<Guid> Retracted(IEnumerable<PathwayEvent> events)
    {
        // Asked of every child the history folds, and few children have a retraction: those get the one empty set.
        List<PathwayEvent>? retractions = null;
        foreach (var e in events)
            if (e.Data is EventRetracted) (retractions ??= []).Add(e);
        if (retractions is null) return FrozenSet<Guid>.Empty;
        var retractedRetractions = retractions.Select(r => ((EventRetracted)r.Data).RetractedId).ToHashSet();
        return retractions
            .Where(r => !retractedRetractions.Contains(r.Id))
            .Select(r => ((EventRetracted)r.Data).RetractedId)
            .ToHashSet();
    }

    private readonly record struct Matched(PathwayEvent Event, string Episode);

    /// <summary>
    /// Adds one rule's clocks over a timeline (in occurrence order), without elapsed figures or explanations, to
    /// <paramref name="clocks"/>. <see cref="ClockHistory"/> refolds a rule at many instants of one child: the matches
    /// are kept in lists made only when something matches, and the clocks go into a list the caller keeps.
    /// </summary>
    internal static void AddClocksOf(
        Rule rule, IReadOnlyList<PathwayEvent> timeline, EpisodeLinks links, Rulebook rulebook, WorkingCalendar calendar, Instant evaluatedAt,
        List<Clock> clocks)
    {
        // Most rules never start for most children: their stops and cancels are not looked for.
        if (FirstPerEpisode(Matching(timeline, rule.Start, links)) is not { } starts) return;
        var stops = Matching(timeline, rule.Stops, links);
        var cancels = Matching(timeline, rule.Cancels, links);

        foreach (var start in starts)
        {
            // Several stops for one clock: the first in occurrence order at or after the start counts (the
            // timeline is in occurrence order); so does the first cancel.
            var nextStop = 0;
            var nextCancel = 0;
            var cancel = Next(cancels, start, ref nextCancel);

            if (!rule.IsRepeating)
            {
                clocks.Add(Build(rule, start.Episode, rule.Limit, start.Event, Next(stops, start, ref nextStop), cancel, rulebook, calendar, evaluatedAt));
                continue;
            }

            // Reviews chain: the n-th clock counts from the (n-1)-th review (the n-th stop); only the next one is open.
            var from = start.Event;
            for (var n = 1; ; n++)
            {
                var stop = Next(stops, start, ref nextStop);
                var clock = Build(rule, $"{start.Episode}#{n}", rule.LimitOf(n), from, stop, cancel, rulebook, calendar, evaluatedAt);
                clocks.Add(clock);
                if (clock.Stopped is null) break;
                // A next review is due only while the plan (the period) goes on past the day of the last one:
                // an end on that day stopped nothing (the review won) and leaves nothing to review.
                if (cancel is not null && cancel.OccurredAt.Date <= stop!.OccurredAt.Date) break;
                from = stop!;
            }
        }
    }

    /// <summary>A start repeated for one episode: the earliest counts (the timeline is in occurrence order), the episodes in the order they first started.</summary>
    private static List<Matched>? FirstPerEpisode(List<Matched>? starts)
    {
        if (starts is null || starts.Count == 1) return starts;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        starts.RemoveAll(s => !seen.Add(s.Episode));
        return starts;
    }

    /// <summary>
    /// The first of <paramref name="matches"/> from <paramref name="next"/> on that is of the start's episode and not
    /// before it, or null; <paramref name="next"/> moves past it, so calling again gives the second, and so on.
    /// </summary>
    private static PathwayEvent? Next(List<Matched>? matches, Matched start, ref int next)
    {
        if (matches is null) return null;
        while (next < matches.Count)
        {
            var m = matches[next++];
            if (m.Episode == start.Episode && !m.Event.OccurredAt.IsBefore(start.Event.OccurredAt)) return m.Event;
        }
        return null;
    }

    /// <summary>
    /// A cancel counts only when its London date is before the stop's: a stop on the same date wins,
    /// whichever came first that day, since many sources give only dates and work finished on the day is
    /// finished (docs/rulebook.md).
    /// </summary>
    private static bool Counts(PathwayEvent cancel, PathwayEvent stop) => cancel.OccurredAt.Date < stop.OccurredAt.Date;

    /// <summary>The events that match one of the triggers (the first that names an episode gives it); null when none does.</summary>
    private static List<Matched>? Matching(IReadOnlyList<PathwayEvent> timeline, IReadOnlyList<Trigger> triggers, EpisodeLinks links)
    {
        // Index loops: a foreach over an IReadOnlyList boxes an enumerator, once per event here.
        List<Matched>? matched = null;
        for (var i = 0; i < timeline.Count; i++)
        {
            var e = timeline[i];
            for (var t = 0; t < triggers.Count; t++)
            {
                if (!triggers[t].Matches(e) || triggers[t].EpisodeOf(e.Data, links) is not { } episode) continue;
                (matched ??= []).Add(new Matched(e, episode));
                break;
            }
        }
        return matched;
    }

    /// <summary>The events that match one trigger (a rule's start); null when none does.</summary>
    private static List<Matched>? Matching(IReadOnlyList<PathwayEvent> timeline, Trigger trigger, EpisodeLinks links)
    {
        List<Matched>? matched = null;
        for (var i = 0; i < timeline.Count; i++)
        {
            var e = timeline[i];
            if (trigger.Matches(e) && trigger.EpisodeOf(e.Data, links) is { } episode) (matched ??= []).Add(new Matched(e, episode));
        }
        return matched;
    }

    private static Clock Build(
        Rule rule, string episode, Limit limit, PathwayEvent start, PathwayEvent? stop, PathwayEvent? cancel,
        Rulebook rulebook, WorkingCalendar calendar, Instant evaluatedAt)
    {
        if (stop is not null && cancel is not null && !Counts(cancel, stop)) cancel = null;
        if (cancel is not null) stop = null;

        var due = calendar.Due(start.OccurredAt, limit);
        var whyNot = stop is null && cancel is null ? rulebook.WhyNotMeasurable(rule, start.SourceSystem) : null;
        var clock = new Clock(
            rule.Id, episode, limit, start.OccurredAt, start.Id, due,
            stop?.OccurredAt, stop?.Id, stop?.Type,
            cancel?.OccurredAt, cancel?.Id, cancel?.Type,
            whyNot is not null, whyNot, evaluatedAt,
            Elapsed: 0m, Explanation: "") { StartEventType = start.Type };
        return clock;
    }
}
