using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Projections.Tests.Support;

/// <summary>Builds pathway events from readable London local times ("2022-10-03T09:00") or dates ("2022-10-03").</summary>
internal static class Pathways
{
    public static PathwayEvent E(string tenant, string child, string occurred, IPathwayEventData data, string? recorded = null, string? source = null) =>
        new(Guid.NewGuid(), tenant, child, Occ(occurred), data, recorded is null ? Occ(occurred).ToInstant() : At(recorded), RecordedBy: "worker-a", SourceSystem: source);

    public static PathwayEvent Retract(string tenant, string child, string occurred, PathwayEvent target, string? recorded = null) =>
        E(tenant, child, occurred, new EventRetracted(target.Id), recorded);

    public static Occurrence Occ(string when) =>
        when.Contains('T')
            ? Occurrence.At(At(when))
            : Occurrence.On(OccurrenceText.ParseDate(when) ?? throw new ArgumentException(when));

    /// <summary>A London local date-time as an instant.</summary>
    public static Instant At(string local) => London.InstantOf(OccurrenceText.ParseLocalDateTime(local) ?? throw new ArgumentException(local));

    public static Task AppendAsync(this IEventStore store, params PathwayEvent[] events) =>
        store.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: false));

    /// <summary>
    /// A small tenant's worth of pathways exercising every path of the projection: stops, late
    /// recordings, retractions of starts and stops, re-allocation, hour and day rules.
    /// </summary>
    public static IReadOnlyList<PathwayEvent> Scenario(string tenant)
    {
        var events = new List<PathwayEvent>();
        // C1: contact at MASH, screened in time, referral, decision late-recorded.
        events.Add(E(tenant, "C1", "2022-10-03T09:00", new CaseAllocated("MASH", "w1")));
        events.Add(E(tenant, "C1", "2022-10-03T09:10", new ContactReceived("K1", ContactRoute.Mash)));
        events.Add(E(tenant, "C1", "2022-10-04T11:00", new ContactScreened("K1", ScreeningOutcome.Referral)));
        events.Add(E(tenant, "C1", "2022-10-04T11:05", new ReferralReceived("R1", "K1")));
        events.Add(E(tenant, "C1", "2022-10-05T10:00", new ReferralDecisionMade("R1", ReferralOutcome.StrategyDiscussion), recorded: "2022-10-12T15:00"));
        // C2: S47 started, its ICPC start retracted later; a strategy discussion still open.
        var s47 = E(tenant, "C2", "2022-10-04T10:00", new Section47Started("S1"));
        events.Add(E(tenant, "C2", "2022-10-03T10:00", new CaseAllocated("Team A", "w2")));
        events.Add(E(tenant, "C2", "2022-10-03T10:30", new StrategyDiscussionRequested("SD1")));
        events.Add(s47);
        events.Add(Retract(tenant, "C2", "2022-10-06T12:00", s47));
        // C3: ICPC met, then its stop retracted: the clock is open again.
        var icpc = E(tenant, "C3", "2022-10-20T10:00", new InitialChildProtectionConferenceHeld("S3"));
        events.Add(E(tenant, "C3", "2022-10-03", new Section47Started("S3")));
        events.Add(icpc);
        events.Add(Retract(tenant, "C3", "2022-10-24T10:00", icpc));
        events.Add(E(tenant, "C3", "2022-10-24T11:00", new CaseAllocated("Team B", "w3")));
        // C4: a child returned from missing (elapsed hours), interview done late.
        events.Add(E(tenant, "C4", "2022-10-07T22:00", new ChildReturned("M1")));
        events.Add(E(tenant, "C4", "2022-10-12T09:00", new ReturnInterviewCompleted("M1"), recorded: "2022-10-14T09:00"));
        return events;
    }
}
