using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CsCheck;
using NodaTime;

namespace CasePathway.Testing;

/// <summary>A random child's events and an instant to look at them from.</summary>
public sealed record RandomPathway(IReadOnlyList<PathwayEvent> Events, Instant At)
{
    public override string ToString() =>
        $"at {OccurrenceText.Format(At)}:\n" + string.Join("\n", Events.Select(e =>
            $"  {e.Id:N} {e.Type} {EventJson.CanonicalData(e.Data)} occurred {e.OccurredAt} recorded {(e.RecordedAt is { } r ? OccurrenceText.Format(r) : "-")} source {e.SourceSystem ?? "-"}"));
}

/// <summary>
/// Random pathways for property tests: every rule's start, stops and cancel (several of each, some before the
/// start, some on the same date as each other), 2019–2027 with extra weight on bank holidays (the one-offs too)
/// and clock changes, times just around midnight and in the changing hour, date-only occurrences, late and
/// early recordings, historical events without a recording time, three source systems and retractions
/// (of retractions too). Shrinks towards fewer, earlier, simpler events.
/// </summary>
public static class RandomPathways
{
    public const string Tenant = "P";
    public const string Child = "C1";

    private static readonly LocalDate First = new(2019, 1, 1);
    private static readonly LocalDate Last = new(2027, 6, 30);

    // One-off and moved bank holidays, Easter, Christmas and the clock changes of the years generated.
    private static readonly LocalDate[] Anchors =
    [
        new(2020, 5, 8), new(2022, 6, 2), new(2022, 6, 3), new(2022, 9, 19), new(2023, 5, 8), new(2024, 3, 29),
        new(2025, 4, 18), new(2021, 12, 27), new(2022, 12, 26), new(2026, 12, 28),
        new(2019, 3, 31), new(2019, 10, 27), new(2022, 3, 27), new(2022, 10, 30), new(2023, 3, 26), new(2023, 10, 29),
        new(2024, 3, 31), new(2024, 10, 27), new(2027, 3, 28), new(2027, 10, 31),
    ];

    private static readonly int Days = Period.Between(First, Last, PeriodUnits.Days).Days;

    private static readonly Gen<LocalDate> BaseDate = Gen.Frequency(
        (3, Gen.Int[0, Days].Select(First.PlusDays)),
        (2, Gen.Select(Gen.Int[0, Anchors.Length - 1], Gen.Int[-6, 2], (a, d) => Anchors[a].PlusDays(d))));

    // Days from the episode's start: the same day often (same-date rules), some before it (ignored events).
    private static readonly Gen<int> Offset = Gen.Frequency(
        (3, Gen.Int[0, 2]), (3, Gen.Int[3, 30]), (3, Gen.Int[31, 400]), (1, Gen.Int[-3, -1]));

    /// <summary>Minutes into the day, or -1 for a date-only occurrence.</summary>
    private static readonly Gen<int> Minute = Gen.Frequency(
        (2, Gen.Const(-1)), (4, Gen.Int[0, 1439]), (1, Gen.Int[0, 59]), (1, Gen.Int[1380, 1439]), (1, Gen.Int[60, 179]));

    /// <summary>Recorded this many minutes after it occurred; null: historical, no recordedAt.</summary>
    private static readonly Gen<int?> Delay = Gen.Frequency(
        (1, Gen.Const((int?)null)), (2, Gen.Const<int?>(0)), (2, Gen.Int[1, 600].Select(m => (int?)m)),
        (2, Gen.Int[1, 60].Select(d => (int?)(d * 1440))), (1, Gen.Int[-180, -1].Select(m => (int?)m)));

    private static readonly Gen<string?> Source = Gen.Frequency(
        (4, Gen.Const<string?>("lcs")), (1, Gen.Const<string?>("annex-a")), (1, Gen.Const<string?>("cin-census")), (1, Gen.Const((string?)null)));

    private sealed record Item(int Offset, IPathwayEventData Data);

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static Gen<T[]> All<T>(Gen<T>[] gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => Gen.Select(all, gen, (values, value) => (T[])[.. values, value]));

    private static Gen<IPathwayEventData> Data<T>(Gen<T> gen) where T : IPathwayEventData => gen.Select(d => (IPathwayEventData)d);

    /// <summary>
    /// One episode: its start (sometimes twice), up to <paramref name="maxStops"/> stops and perhaps a cancel,
    /// which is on the date of one of the stops one time in three.
    /// </summary>
    private static Gen<List<Item>> Episode(Gen<IPathwayEventData> start, Gen<IPathwayEventData> stop, int maxStops, Gen<IPathwayEventData>? cancel,
        params Gen<IPathwayEventData>[] others) =>
        from startData in start
        from stops in Gen.Int[0, maxStops]
        from stopOffsets in Offset.Array[stops]
        from stopData in stop.Array[stops]
        from cancelKind in Gen.Int[0, 2]
        from cancelData in cancel ?? start
        from cancelOffset in Offset
        from cancelOnStop in Gen.Int[0, 2]
        from repeat in Gen.Int[0, 5]
        from repeatOffset in Offset
        from otherCount in Gen.Int[0, others.Length]
        from otherOffsets in Offset.Array[others.Length]
        from otherData in All(others)
        select Compose(startData, stopOffsets, stopData, cancel is null || cancelKind == 0 ? null : cancelData,
            stops > 0 && cancelOnStop == 0 ? stopOffsets[^1] : cancelOffset, repeat == 0 ? repeatOffset : null,
            otherOffsets.Zip(otherData).Take(otherCount).Select(x => new Item(x.First, x.Second)));

    private static List<Item> Compose(IPathwayEventData start, int[] stopOffsets, IPathwayEventData[] stops, IPathwayEventData? cancel, int cancelOffset,
        int? repeatOffset, IEnumerable<Item> others)
    {
        var items = new List<Item> { new(0, start) };
        items.AddRange(stopOffsets.Zip(stops).Select(x => new Item(x.First, x.Second)));
        if (cancel is not null) items.Add(new Item(cancelOffset, cancel));
        if (repeatOffset is { } r) items.Add(new Item(r, start));
        items.AddRange(others);
        return items;
    }

    private static Gen<List<Item>> AnyEpisode(Gen<string> id) =>
        from n in id
        from kind in Gen.Int[0, 9]
        from episode in kind switch
        {
            0 => Episode(Data(Gen.Select(Pick(ContactRoute.Mash, ContactRoute.Ehap, ContactRoute.Unknown), Pick<bool?>(null, false, true), (r, q) => new ContactReceived("K" + n, r, null, q))),
                Data(Pick(Enum.GetValues<ScreeningOutcome>()).Select(o => new ContactScreened("K" + n, o))), 2, null),
            1 => Episode(Data(Gen.Const(new ReferralReceived("R" + n))),
                Data(Pick(Enum.GetValues<ReferralOutcome>()).Select(o => new ReferralDecisionMade("R" + n, o))), 2, Data(Gen.Const(new CaseClosed("R" + n))),
                Data(Pick<string?>("R" + n, null).Select(r => new AssessmentStarted("A" + n, r))),
                Data(Pick<AssessmentOutcome?>(AssessmentOutcome.Services, AssessmentOutcome.Nfa, null).Select(o => new AssessmentAuthorised("A" + n, o))),
                Data(Pick(Enum.GetValues<ReferralOutcome>()).Select(o => new ReferralDecisionMade("R" + n, o)))),
            2 => Episode(Data(Gen.Const(new AssessmentStarted("A" + n))),
                Data(Pick<AssessmentOutcome?>(AssessmentOutcome.Services, AssessmentOutcome.Nfa, null).Select(o => new AssessmentAuthorised("A" + n, o))), 2, null),
            3 => Episode(Data(Gen.Const(new StrategyDiscussionRequested("SD" + n))),
                Data(Pick(Enum.GetValues<StrategyOutcome>()).Select(o => new StrategyDiscussionHeld("SD" + n, o))), 2, null),
            4 => Episode(Data(Gen.Const(new Section47Started("S" + n))),
                Data(Pick<string?>(null, "P" + n).Select(p => new InitialChildProtectionConferenceHeld("S" + n, p))), 2,
                Data(Pick(false, true).Select(required => new Section47Completed("S" + n, required)))),
            5 => Episode(Data(Gen.Const(new InitialChildProtectionConferenceHeld("S" + n, "P" + n))),
                Data(Gen.Const(new ChildProtectionReviewHeld("P" + n))), 4, Data(Gen.Const(new ChildProtectionPlanEnded("P" + n))),
                Data(Gen.Const(new CoreGroupHeld("P" + n))), Data(Gen.Const(new CoreGroupHeld("P" + n)))),
            6 => Episode(Data(Gen.Const(new ChildInNeedPlanStarted("CP" + n))),
                Data(Gen.Const(new ChildInNeedReviewHeld("CP" + n))), 4, Data(Gen.Const(new ChildInNeedPlanEnded("CP" + n)))),
            7 => Episode(Data(Gen.Const(new ChildReturned("M" + n))),
                Data(Gen.Const(new ReturnInterviewCompleted("M" + n))), 2, Data(Gen.Const(new ReturnInterviewDeclined("M" + n))),
                Data(Gen.Const(new ChildWentMissing("M" + n))), Data(Gen.Const(new ReturnInterviewOffered("M" + n)))),
            8 => Episode(Data(Gen.Const(new BecameLookedAfter("LA" + n))),
                Data(Gen.Const(new LookedAfterReviewHeld("LA" + n))), 4, Data(Gen.Const(new CeasedLookedAfter("LA" + n)))),
            _ => Episode(Data(Gen.Const(new EarlyHelpConsentGiven("EH" + n))),
                Data(Gen.Const(new EarlyHelpAssessmentCompleted("EH" + n))), 2, null,
                Data(Pick("Team A", "Team B").Select(t => new CaseAllocated(t, null)))),
        }
        select episode;

    /// <summary>An episode at a date: its events placed in time, each with its own time of day, source and recording.</summary>
    private static Gen<List<PathwayEvent>> Placed(Gen<List<Item>> episode) =>
        from items in episode
        from day in BaseDate
        from minutes in Minute.Array[items.Count]
        from delays in Delay.Array[items.Count]
        from sources in Source.Array[items.Count]
        from ids in Gen.Guid.Array[items.Count]
        select items.Select((item, i) =>
        {
            var date = day.PlusDays(item.Offset);
            var occurred = minutes[i] < 0 ? Occurrence.On(date) : Occurrence.At(London.InstantOf(date.AtMidnight().PlusMinutes(minutes[i])));
            Instant? recorded = delays[i] is { } d ? occurred.ToInstant() + Duration.FromMinutes(d) : null;
            return new PathwayEvent(ids[i], Tenant, Child, occurred, item.Data, recorded, SourceSystem: sources[i]);
        }).ToList();

    /// <summary>Retractions of random events (a retraction among them, sometimes), recorded around when they occurred.</summary>
    private static Gen<List<PathwayEvent>> Retracted(List<PathwayEvent> events) =>
        from count in Gen.Int[0, 2]
        from targets in Gen.Int[0, 1000].Array[count]
        from afterDays in Gen.Int[0, 30].Array[count]
        from recordedAfter in Gen.Int[-120, 2880].Array[count]
        from ids in Gen.Guid.Array[count]
        select Retract(events, targets, afterDays, recordedAfter, ids);

    private static List<PathwayEvent> Retract(List<PathwayEvent> events, int[] targets, int[] afterDays, int[] recordedAfter, Guid[] ids)
    {
        var all = new List<PathwayEvent>(events);
        for (var i = 0; i < targets.Length && all.Count > 0; i++)
        {
            var target = all[targets[i] % all.Count];
            var occurred = target.OccurredAt.ToInstant() + Duration.FromDays(afterDays[i]) + Duration.FromHours(9);
            all.Add(new PathwayEvent(ids[i], Tenant, Child, Occurrence.At(occurred), new EventRetracted(target.Id),
                occurred + Duration.FromMinutes(recordedAfter[i]), SourceSystem: "lcs"));
        }
        return all;
    }

    /// <summary>One child's events: one to six episodes (ids 1 and 2, so repeated starts of an episode happen).</summary>
    public static readonly Gen<List<PathwayEvent>> Events =
        from episodes in Placed(AnyEpisode(Gen.Int[1, 2].Select(i => i.ToString()))).List[1, 6]
        from all in Retracted(episodes.SelectMany(e => e).ToList())
        select all;

    /// <summary>An instant to evaluate at: any time in the pathway's span and after it, or exactly an occurrence or a recording.</summary>
    public static Gen<Instant> InstantFor(IReadOnlyList<PathwayEvent> events)
    {
        var occurred = events.Select(e => e.OccurredAt.ToInstant()).ToArray();
        var recorded = events.Select(e => e.RecordedAt ?? e.OccurredAt.ToInstant()).ToArray();
        var from = occurred.Min() - Duration.FromDays(1);
        var span = (long)((occurred.Max() - from) + Duration.FromDays(200)).TotalMinutes;
        return Gen.Frequency(
            (3, Gen.Long[0, span].Select(m => from + Duration.FromMinutes(m))),
            (1, Pick(occurred)),
            (1, Pick(recorded)),
            (1, Gen.Const(Instant.FromUtc(2030, 1, 1, 0, 0))));
    }

    /// <summary>A pathway and an instant to look at it from.</summary>
    public static readonly Gen<RandomPathway> WithInstant =
        from events in Events
        from at in InstantFor(events)
        select new RandomPathway(events, at);
}
