using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;
using CasePathway.Testing;
using CsCheck;
using NodaTime;
using Shouldly;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// The clock versions the pathway projection stores (<see cref="ClockHistory"/>, pure) against the fold: for
/// any random pathway, whatever the order events arrive in, the versions valid at any instant T are the clocks
/// of the events recorded by T, folded at T — so a rebuild, the live read model and an as-at replay agree, and
/// nothing recorded after T shows at T. No database: the projection only stores these rows.
/// </summary>
public class ClockHistoryProperties
{
    private const long Iterations = 300;
    // Each pathway is checked at every instant its knowledge changes and the tick before: a few hundred folds.
    private const long PathwaysCheckedAtEveryInstant = 60;
    private static readonly TenantContext Context = TenantContext.Of(new TenantSettings(RandomPathways.Tenant));

    // As an import or the store would give them: an event without recordedAt is known from its occurrence.
    private static List<PathwayEvent> Recorded(IEnumerable<PathwayEvent> events) =>
        events.Select(e => e.RecordedAt is null ? e with { RecordedAt = e.OccurredAt.ToInstant() } : e).ToList();

    private static IReadOnlyList<ClockVersion> History(IReadOnlyList<PathwayEvent> events) =>
        ClockHistory.Of(RandomPathways.Tenant, RandomPathways.Child, events, Context)
            .OrderBy(v => v.Clock.Rule, StringComparer.Ordinal).ThenBy(v => v.Clock.Episode, StringComparer.Ordinal).ThenBy(v => v.KnownFrom).ToList();

    private static string Key(ClockVersion v) =>
        $"{v.Clock.Rule} {v.Clock.Episode} [{v.KnownFrom}, {v.KnownTo?.ToString() ?? "∞"}) started {v.Clock.Started} by {v.Clock.StartEventId:N} due {v.Clock.Due} " +
        $"stopped {v.Clock.Stopped} by {v.Clock.StopEventId:N} cancelled {v.Clock.Cancelled} by {v.Clock.CancelEventId:N} nm {v.Clock.NotMeasurable} " +
        $"team {v.Team} | {v.StoredExplanation}";

    private sealed record Arrival(RandomPathway Pathway, PathwayEvent[] Shuffled)
    {
        public override string ToString() => Pathway.ToString();
    }

    [Fact]
    public void Any_order_of_arrival_gives_the_same_history() =>
        RandomPathways.WithInstant.SelectMany(p => Gen.Shuffle(p.Events.ToArray()).Select(s => new Arrival(p, s)))
            .Sample(a => History(Recorded(a.Shuffled)).Select(Key).ToList().ShouldBe(History(Recorded(a.Pathway.Events)).Select(Key).ToList()),
                iter: Iterations, print: a => a.ToString());

    [Fact]
    public void The_versions_valid_at_any_instant_are_the_fold_of_what_was_recorded_by_then() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            var events = Recorded(p.Events);
            var history = History(events);
            // The instant drawn, and every instant at which what the fold sees can change — an event's recording,
            // or its occurrence when that comes later — with the tick before it.
            var instants = events.SelectMany(e => new[] { e.RecordedAt!.Value, Max(e.RecordedAt!.Value, e.OccurredAt.ToInstant()) })
                .SelectMany(i => new[] { i, i - Duration.Epsilon }).Append(p.At).Distinct();
            foreach (var at in instants)
            {
                var known = events.Where(e => e.RecordedAt <= at).ToList();
                var pathway = ClockFold.Fold(known, Context.Rulebook, Context.Calendar, at);
                var folded = pathway.Clocks
                    .OrderBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.Episode, StringComparer.Ordinal)
                    .Select(c => new ClockVersion(RandomPathways.Tenant, RandomPathways.Child, c, c.Rule, pathway.Allocation?.Team, pathway.Allocation?.Worker, at, null));
                var valid = history.Where(v => v.KnownFrom <= at && (v.KnownTo is null || at < v.KnownTo)).ToList();

                valid.Select(v => Stored(v, at)).ToList().ShouldBe(folded.Select(v => Stored(v, at)).ToList(), $"at {at}");
                // As at T, nothing recorded after T shows.
                var ids = valid.SelectMany(v => new[] { v.Clock.StartEventId, v.Clock.StopEventId, v.Clock.CancelEventId }).OfType<Guid>();
                ids.ShouldAllBe(id => known.Any(e => e.Id == id), $"at {at}");
            }
        }, iter: PathwaysCheckedAtEveryInstant, print: p => p.ToString());

    [Fact]
    public void The_incremental_history_gives_exactly_the_rows_of_a_whole_fold_at_every_instant() =>
        RandomPathways.Events.Sample(p =>
        {
            var events = Recorded(p);
            ClockHistory.Of(RandomPathways.Tenant, RandomPathways.Child, events, Context).ToList()
                .ShouldBe(WholeFoldAtEveryInstant(events).ToList());
        }, iter: Iterations);

    // The store never repeats an id, so the random pathways do not: a list that does is folded by another way to
    // the timeline (ClockFold.Timeline's choice among the repeats) and must still give the whole fold's rows.
    [Fact]
    public void A_list_that_repeats_events_gives_exactly_the_rows_of_a_whole_fold_at_every_instant() =>
        (from events in RandomPathways.Events
         from repeats in Gen.Int[0, 1000].Array[1, 3]
         from minutes in Gen.Int[-2880, 2880].Array[3]
         select Repeated(Recorded(events), repeats, minutes))
        .Sample(events => ClockHistory.Of(RandomPathways.Tenant, RandomPathways.Child, events, Context).ToList()
                .ShouldBe(WholeFoldAtEveryInstant(events).ToList()),
            iter: Iterations, print: events => new RandomPathway(events, Instant.MinValue).ToString());

    // An event the calendar cannot count from, retracted later: every instant from its recording to its retraction's
    // is folded without it, and the instants after that must see the timeline as it then is.
    [Fact]
    public void A_poison_event_retracted_later_gives_exactly_the_rows_of_a_whole_fold_at_every_instant() =>
        (from events in RandomPathways.Events
         from after in Gen.Int[0, 1000]
         from retractedAfter in Gen.Int[1, 400 * 1440]
         from ids in Gen.Guid.Array[2]
         select Poisoned(Recorded(events), after, retractedAfter, ids))
        .Sample(events => ClockHistory.Of(RandomPathways.Tenant, RandomPathways.Child, events, Context).ToList()
                .ShouldBe(WholeFoldAtEveryInstant(events).ToList()),
            iter: Iterations, print: events => new RandomPathway(events, Instant.MinValue).ToString());

    /// <summary>The events and copies of some of them (the same id), each copy recorded up to two days earlier or later.</summary>
    private static List<PathwayEvent> Repeated(List<PathwayEvent> events, int[] repeats, int[] minutes)
    {
        var all = new List<PathwayEvent>(events);
        for (var i = 0; i < repeats.Length; i++)
        {
            var e = events[repeats[i] % events.Count];
            all.Add(e with { RecordedAt = e.RecordedAt + Duration.FromMinutes(minutes[i]) });
        }
        return all;
    }

    private static List<PathwayEvent> Poisoned(List<PathwayEvent> events, int after, int retractedAfter, Guid[] ids)
    {
        var recorded = events[after % events.Count].RecordedAt!.Value + Duration.FromMinutes(1);
        var poison = new PathwayEvent(ids[0], RandomPathways.Tenant, RandomPathways.Child, Occurrence.On(new LocalDate(1, 1, 1)),
            new Section47Started("S9"), recorded, SourceSystem: "lcs");
        var retractionRecorded = recorded + Duration.FromMinutes(retractedAfter);
        var retraction = new PathwayEvent(ids[1], RandomPathways.Tenant, RandomPathways.Child, Occurrence.At(retractionRecorded),
            new EventRetracted(poison.Id), retractionRecorded, SourceSystem: "lcs");
        return [.. events, poison, retraction];
    }

    /// <summary>
    /// The history as it was first written: every rule refolded from every event known at each instant, with every
    /// text built. <see cref="ClockHistory"/> refolds only the rules an instant's events touch and builds texts only
    /// for the versions kept; both must give the same rows, in the same order, to the last explanation.
    /// </summary>
    private static List<ClockVersion> WholeFoldAtEveryInstant(IReadOnlyList<PathwayEvent> events)
    {
        var instants = events.Select(e => e.Data is EventRetracted ? e.RecordedAt!.Value : Max(e.RecordedAt!.Value, e.OccurredAt.ToInstant()))
            .Distinct().Order();
        var retractedNow = ClockFold.Retracted(events);
        var open = new Dictionary<(string, string), ClockVersion>();
        var history = new List<ClockVersion>();
        foreach (var at in instants)
        {
            var known = events.Where(e => e.RecordedAt <= at).ToList();
            Pathway pathway;
            try
            {
                pathway = ClockFold.Fold(known, Context.Rulebook, Context.Calendar, at);
            }
            catch (ArgumentOutOfRangeException) when (known.Any(e => retractedNow.Contains(e.Id)))
            {
                pathway = ClockFold.Fold(known.Where(e => !retractedNow.Contains(e.Id)), Context.Rulebook, Context.Calendar, at);
            }
            var current = pathway.Clocks.ToDictionary(c => (c.Rule, c.Episode), c => new ClockVersion(
                RandomPathways.Tenant, RandomPathways.Child, c, Context.Rulebook.Find(c.Rule)?.Title ?? c.Rule,
                pathway.Allocation?.Team, pathway.Allocation?.Worker, at, null));
            foreach (var (key, previous) in open.ToList())
            {
                if (current.TryGetValue(key, out var now) && now.SameInputs(previous)) continue;
                history.Add(previous with { KnownTo = at });
                open.Remove(key);
            }
            foreach (var (key, version) in current) open.TryAdd(key, version);
        }
        history.AddRange(open.Values);
        return history;
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    // What a stored version keeps (clock_versions has no event ids: a stop by another event of the same type
    // at the same occurrence is the same row) and what a reader derives from it at the instant.
    private static string Stored(ClockVersion v, Instant at)
    {
        var c = v.Clock;
        return $"{c.Rule} {c.Episode} started {c.Started} due {c.Due} stopped {c.Stopped} cancelled {c.Cancelled} nm {c.NotMeasurable} " +
            $"team {v.Team} worker {v.Worker}: {c.StatusAt(at).Name()} {ClockElapsed.Of(Context.Calendar, c.Started, c.Stopped, c.Cancelled, at, c.Unit)} | {v.StoredExplanation}";
    }
}

/// <summary>The case the history property found: a retraction recorded before the time it says it occurred.</summary>
public class RetractionRecordedEarlyTests
{
    [Fact]
    public void A_retraction_counts_from_its_recording_as_the_fold_applies_it_whenever_it_occurred()
    {
        var context = TenantContext.Of(new TenantSettings("T"));
        var started = new PathwayEvent(Guid.NewGuid(), "T", "C1", Occurrence.On(new LocalDate(2024, 3, 4)), new AssessmentStarted("A1"), Instant.FromUtc(2024, 3, 4, 9, 0));
        // Recorded 10:54, saying it occurred 11:14 (a case system's clock 20 minutes fast).
        var retraction = new PathwayEvent(Guid.NewGuid(), "T", "C1", Occurrence.At(Instant.FromUtc(2024, 3, 9, 11, 14)), new EventRetracted(started.Id), Instant.FromUtc(2024, 3, 9, 10, 54));

        var history = ClockHistory.Of("T", "C1", [started, retraction], context);

        var version = history.ShouldHaveSingleItem();
        version.KnownTo.ShouldBe(retraction.RecordedAt);
        ClockFold.Fold([started, retraction], context.Rulebook, context.Calendar, Instant.FromUtc(2024, 3, 9, 11, 0)).Clocks.ShouldBeEmpty();
    }
}
