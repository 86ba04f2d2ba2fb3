using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Events;

/// <summary>One event of every catalogue type, with every optional field set where the type has one.</summary>
internal static class EventSamples
{
    /// <summary>Every sample's type name: the rows of a theory run once per event type.</summary>
    public static TheoryData<string> TypeNames() => new(Data.Select(d => EventTypes.NameOf(d)));

    /// <summary>The sample of the type named.</summary>
    public static IPathwayEventData OfType(string type) => Data.Single(d => EventTypes.NameOf(d) == type);

    public static readonly IReadOnlyList<IPathwayEventData> Data =
    [
        new CaseAllocated("Assessment Team 2", "jsmith"),
        new ContactReceived("K1", ContactRoute.Mash, "police", true),
        new ContactScreened("K1", ScreeningOutcome.InformationAdvice),
        new ReferralReceived("R1", "K1", "school"),
        new ReferralDecisionMade("R1", ReferralOutcome.StrategyDiscussion),
        new StrategyDiscussionRequested("SD1", "R1"),
        new StrategyDiscussionHeld("SD1", StrategyOutcome.S47, new Attendance(true, false, null)),
        new Section47Started("S1", "SD1"),
        new Section47Completed("S1", false),
        new ChildSeen(S47Id: "S1"),
        new AssessmentStarted("A1", "R1"),
        new AssessmentAuthorised("A1", AssessmentOutcome.Services),
        new InitialChildProtectionConferenceHeld("S1", "P1", new Attendance(true, true, true)),
        new CoreGroupHeld("P1"),
        new ChildProtectionReviewHeld("P1"),
        new ChildProtectionPlanEnded("P1"),
        new ChildInNeedPlanStarted("CP1"),
        new ChildInNeedReviewHeld("CP1"),
        new ChildInNeedPlanEnded("CP1"),
        new ChildWentMissing("M1"),
        new ChildReturned("M1"),
        new ReturnInterviewOffered("M1"),
        new ReturnInterviewCompleted("M1"),
        new ReturnInterviewDeclined("M1"),
        new BecameLookedAfter("LA1"),
        new LookedAfterReviewHeld("LA1"),
        new CeasedLookedAfter("LA1"),
        new EarlyHelpConsentGiven("EH1"),
        new EarlyHelpAssessmentCompleted("EH1"),
        new CaseClosed("R1"),
        new BreachReasonRecorded("icpc", "S1", "awaiting-partner", "Police could not attend before the 21st"),
        new EventRetracted(Guid.Parse("7d3c0a52-5d0e-4f7e-9d43-3c0f5e7b1a99")),
    ];

    public static PathwayEvent Envelope(IPathwayEventData data, int n = 1) => new(
        Guid.Parse($"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b{n:x4}"),
        "357",
        "C123",
        Occurrence.At(Instant.FromUtc(2022, 10, 3, 8, 15)),
        data,
        Instant.FromUtc(2022, 10, 3, 8, 20),
        "jsmith",
        "lcs",
        "row-9",
        "corr-1");

    public const string ContactJson = """
        {"id": "0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01", "tenant": "357", "child": "C123",
         "type": "ContactReceived", "occurredAt": "2022-10-03T09:15:00+01:00",
         "recordedAt": "2022-10-03T09:20:00+01:00", "recordedBy": "jsmith", "sourceSystem": "lcs",
         "data": {"contactId": "K1", "route": "mash", "source": "police"}}
        """;
}
