using System.Collections.Frozen;

namespace CasePathway.Domain.Events;

/// <summary>The contract's type names, one per catalogue record. Outputs always use these names.</summary>
public static class EventTypes
{
    private static readonly Type[] All =
    [
        typeof(CaseAllocated), typeof(ContactReceived), typeof(ContactScreened), typeof(ReferralReceived),
        typeof(ReferralDecisionMade), typeof(StrategyDiscussionRequested), typeof(StrategyDiscussionHeld),
        typeof(Section47Started), typeof(Section47Completed), typeof(ChildSeen), typeof(AssessmentStarted),
        typeof(AssessmentAuthorised), typeof(InitialChildProtectionConferenceHeld), typeof(CoreGroupHeld),
        typeof(ChildProtectionReviewHeld), typeof(ChildProtectionPlanEnded), typeof(ChildWentMissing),
        typeof(ChildReturned), typeof(ReturnInterviewOffered), typeof(ReturnInterviewCompleted),
        typeof(ReturnInterviewDeclined), typeof(BecameLookedAfter), typeof(LookedAfterReviewHeld),
        typeof(CeasedLookedAfter), typeof(EarlyHelpConsentGiven), typeof(EarlyHelpAssessmentCompleted),
        typeof(CaseClosed), typeof(EventRetracted),
        typeof(ChildInNeedPlanStarted), typeof(ChildInNeedReviewHeld), typeof(ChildInNeedPlanEnded),
        typeof(BreachReasonRecorded),
    ];

    private static readonly FrozenDictionary<string, Type> ByName = All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Every catalogue record type (what an event store registers).</summary>
    public static IReadOnlyList<Type> Types => All;

    public static string NameOf(IPathwayEventData data) => data.GetType().Name;

    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);
}
