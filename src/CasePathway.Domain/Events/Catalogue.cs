namespace CasePathway.Domain.Events;

// The pathway event catalogue of the public contract (docs/contract.md). Each record is the `data` of
// one event type; the ids link the events of one episode. Names are past tense: these are facts.

/// <summary>The body of a pathway event; one record type per contract event type.</summary>
public interface IPathwayEventData;

// Unknown: the source does not say (Ofsted Annex A has no MASH vs early-help route).
public enum ContactRoute { Mash, Ehap, Unknown }

public enum ScreeningOutcome { Referral, EarlyHelp, InformationAdvice, Nfa }

public enum ReferralOutcome { Assessment, StrategyDiscussion, EarlyHelp, Nfa }

public enum StrategyOutcome { S47, Assessment, Nfa }

public enum AssessmentOutcome { Services, Nfa }

/// <summary>Which agencies attended a strategy discussion or conference (null: not recorded).</summary>
public sealed record Attendance(bool? Police = null, bool? Health = null, bool? Education = null);

public sealed record CaseAllocated(string? Team, string? Worker) : IPathwayEventData;

public sealed record ContactReceived(string ContactId, ContactRoute Route, string? Source = null, bool? RequestForInformation = null) : IPathwayEventData;

public sealed record ContactScreened(string ContactId, ScreeningOutcome Outcome) : IPathwayEventData;

public sealed record ReferralReceived(string ReferralId, string? ContactId = null, string? Source = null) : IPathwayEventData;

public sealed record ReferralDecisionMade(string ReferralId, ReferralOutcome Outcome) : IPathwayEventData;

public sealed record StrategyDiscussionRequested(string StrategyId, string? ReferralId = null) : IPathwayEventData;

public sealed record StrategyDiscussionHeld(string StrategyId, StrategyOutcome Outcome, Attendance? Attendance = null) : IPathwayEventData;

public sealed record Section47Started(string S47Id, string? StrategyId = null) : IPathwayEventData;

public sealed record Section47Completed(string S47Id, bool IcpcRequired) : IPathwayEventData;

public sealed record ChildSeen(string? ReferralId = null, string? S47Id = null, string? AssessmentId = null) : IPathwayEventData;

public sealed record AssessmentStarted(string AssessmentId, string? ReferralId = null) : IPathwayEventData;

/// <summary>
/// An assessment authorised. Its outcome is optional: sources such as Ofsted Annex A often leave "assessed as
/// requiring support" blank, and timeliness does not need it (null: the source does not say).
/// </summary>
public sealed record AssessmentAuthorised(string AssessmentId, AssessmentOutcome? Outcome = null) : IPathwayEventData;

public sealed record InitialChildProtectionConferenceHeld(string S47Id, string? PlanId = null, Attendance? Attendance = null) : IPathwayEventData;

public sealed record CoreGroupHeld(string PlanId) : IPathwayEventData;

public sealed record ChildProtectionReviewHeld(string PlanId) : IPathwayEventData;

public sealed record ChildProtectionPlanEnded(string PlanId) : IPathwayEventData;

public sealed record ChildInNeedPlanStarted(string CinPlanId) : IPathwayEventData;

public sealed record ChildInNeedReviewHeld(string CinPlanId) : IPathwayEventData;

public sealed record ChildInNeedPlanEnded(string CinPlanId) : IPathwayEventData;

public sealed record ChildWentMissing(string MissingId) : IPathwayEventData;

public sealed record ChildReturned(string MissingId) : IPathwayEventData;

public sealed record ReturnInterviewOffered(string MissingId) : IPathwayEventData;

public sealed record ReturnInterviewCompleted(string MissingId) : IPathwayEventData;

public sealed record ReturnInterviewDeclined(string MissingId) : IPathwayEventData;

public sealed record BecameLookedAfter(string PeriodId) : IPathwayEventData;

public sealed record LookedAfterReviewHeld(string PeriodId) : IPathwayEventData;

public sealed record CeasedLookedAfter(string PeriodId) : IPathwayEventData;

public sealed record EarlyHelpConsentGiven(string EarlyHelpId) : IPathwayEventData;

public sealed record EarlyHelpAssessmentCompleted(string EarlyHelpId) : IPathwayEventData;

public sealed record CaseClosed(string? ReferralId = null) : IPathwayEventData;

/// <summary>An earlier event was recorded in error; from now on it counts nowhere.</summary>
public sealed record EventRetracted(Guid RetractedId) : IPathwayEventData;

/// <summary>
/// Why a clock breached (or is about to), as a manager or a case system said: the council's reason code
/// (docs/rulebook.md, "Reasons for delay") and a free-text note. It starts, stops and cancels nothing.
/// </summary>
public sealed record BreachReasonRecorded(string Rule, string Episode, string Reason, string? Note = null) : IPathwayEventData;
