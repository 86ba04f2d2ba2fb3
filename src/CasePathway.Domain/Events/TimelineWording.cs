using System.Globalization;
using CasePathway.Domain.Time;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Events;

/// <summary>An earlier event a retraction names: what it was and when it happened.</summary>
public sealed record RetractedEvent(IPathwayEventData Data, Occurrence OccurredAt, bool CorrectedAlongside);

/// <summary>
/// A child's timeline in plain English for a QA lead: what happened in words, when in London time, and how
/// long after it was recorded. Pure: the pages, and anything else, format at their edge with these.
/// </summary>
public static class TimelineWording
{
    // Invariant English names, whatever the server's culture: "Fri 3 Oct 2025 13:15".
    private static readonly LocalDateTimePattern DateTime =
        LocalDateTimePattern.Create("ddd d MMM uuuu HH':'mm", CultureInfo.InvariantCulture);
    private static readonly LocalDatePattern Date = LocalDatePattern.Create("ddd d MMM uuuu", CultureInfo.InvariantCulture);

    /// <summary>"Fri 3 Oct 2025 13:15" in London local time; a date-only occurrence as its date alone.</summary>
    public static string When(Occurrence at) =>
        at.Instant is { } i ? DateTime.Format(London.LocalDateTimeOf(i)) : Date.Format(at.Date);

    /// <summary>An instant as London local time, to the minute: "Mon 6 Oct 2025 09:00".</summary>
    public static string When(Instant at) => DateTime.Format(London.LocalDateTimeOf(at));

    /// <summary>
    /// How long after the event it was recorded. <paramref name="lateWorkingDays"/> is the timeline's own
    /// lateness (working days from the occurrence's date to the recording's London date, docs/conventions.md "Recorded late",
    /// the figure `report late-recordings` counts); above zero the recording is late, said in working days.
    /// Otherwise the gap is said in minutes, hours or calendar days.
    /// </summary>
    public static string Recording(Occurrence occurred, Instant recorded, bool recordedAtInferred, int lateWorkingDays)
    {
        if (recordedAtInferred) return "recording time not given by the source";
        if (lateWorkingDays > 0) return $"recorded {Count(lateWorkingDays, "working day")} late";
        if (occurred.Instant is not { } at)
        {
            var days = Period.Between(occurred.Date, London.DateOf(recorded), PeriodUnits.Days).Days;
            return days switch
            {
                0 => "recorded the same day",
                < 0 => $"recorded {Count(-days, "day")} before the date it is for",
                _ => $"recorded {Count(days, "day")} later",
            };
        }
        var gap = recorded - at;
        if (gap < Duration.Zero)
            return gap > -Duration.FromMinutes(1) ? "recorded at the time" : $"recorded {Spoken(-gap)} before it happened";
        return gap < Duration.FromMinutes(1) ? "recorded at the time" : $"recorded {Spoken(gap)} later";
    }

    /// <summary>The whole line: "Fri 3 Oct 2025 13:15 — Contact from the police (MASH), recorded 4 minutes later by mash.duty1".</summary>
    public static string Line(Occurrence occurred, string what, string recording, string? recordedBy) =>
        $"{When(occurred)} — {what}, {recording}{By(recording, recordedBy)}";

    /// <summary>Who recorded it, after <see cref="Recording"/>'s words: " by mash.duty1", or "; recorded by …" when those words do not end on "recorded".</summary>
    public static string By(string recording, string? recordedBy) =>
        recordedBy is null ? "" : recording.StartsWith("recorded ", StringComparison.Ordinal) ? $" by {recordedBy}" : $"; recorded by {recordedBy}";

    /// <summary>
    /// What kind of event a type is, in the words the timeline starts its line with ("Initial child protection
    /// conference held"), without what only the event's data can say (an outcome, a source, who attended). Clock
    /// explanations name a clock's start, stop and cancel with it, so a manager reads one vocabulary on the page.
    /// A type not in the catalogue is given as it is.
    /// </summary>
    public static string Kind(string eventType) => eventType switch
    {
        nameof(CaseAllocated) => "Case allocated",
        nameof(ContactReceived) => "Contact received",
        nameof(ContactScreened) => "Contact screened",
        nameof(ReferralReceived) => "Referral received",
        nameof(ReferralDecisionMade) => "Decision on the referral",
        nameof(StrategyDiscussionRequested) => "Strategy discussion requested",
        nameof(StrategyDiscussionHeld) => "Strategy discussion held",
        nameof(Section47Started) => "Section 47 enquiry started",
        nameof(Section47Completed) => "Section 47 enquiry completed",
        nameof(ChildSeen) => "Child seen",
        nameof(AssessmentStarted) => "Child and family assessment started",
        nameof(AssessmentAuthorised) => "Child and family assessment authorised",
        nameof(InitialChildProtectionConferenceHeld) => "Initial child protection conference held",
        nameof(CoreGroupHeld) => "Core group meeting held",
        nameof(ChildProtectionReviewHeld) => "Child protection review conference held",
        nameof(ChildProtectionPlanEnded) => "Child protection plan ended",
        nameof(ChildInNeedPlanStarted) => "Child in need plan started",
        nameof(ChildInNeedReviewHeld) => "Child in need plan reviewed",
        nameof(ChildInNeedPlanEnded) => "Child in need plan ended",
        nameof(ChildWentMissing) => "Child went missing",
        nameof(ChildReturned) => "Child returned after being missing",
        nameof(ReturnInterviewOffered) => "Return home interview offered",
        nameof(ReturnInterviewCompleted) => "Return home interview completed",
        nameof(ReturnInterviewDeclined) => "Return home interview declined",
        nameof(BecameLookedAfter) => "Child became looked after",
        nameof(LookedAfterReviewHeld) => "Looked-after review held",
        nameof(CeasedLookedAfter) => "Child ceased to be looked after",
        nameof(EarlyHelpConsentGiven) => "Consent to early help given",
        nameof(EarlyHelpAssessmentCompleted) => "Early help assessment completed",
        nameof(CaseClosed) => "Case closed",
        nameof(EventRetracted) => "Earlier record withdrawn",
        nameof(BreachReasonRecorded) => "Reason for delay recorded",
        _ => eventType,
    };

    /// <summary>What happened, in words. <paramref name="retracted"/> finds the event a retraction names (null: not on this timeline).</summary>
    public static string What(IPathwayEventData data, Func<Guid, RetractedEvent?>? retracted = null) => data switch
    {
        CaseAllocated a => (a.Team, a.Worker) switch
        {
            ({ } team, { } worker) => $"Allocated to {worker} in {team}",
            ({ } team, null) => $"Allocated to the {team} team, no worker named",
            (null, { } worker) => $"Allocated to {worker}, no team named",
            _ => "Allocation recorded with no team or worker",
        },
        ContactReceived c => Contact(c),
        ContactScreened s => Kind(nameof(ContactScreened)) + ": " + s.Outcome switch
        {
            ScreeningOutcome.Referral => "referred to children's social care",
            ScreeningOutcome.EarlyHelp => "passed to early help",
            ScreeningOutcome.InformationAdvice => "information and advice given",
            _ => "no further action",
        },
        ReferralReceived r => Kind(nameof(ReferralReceived)) + (r.Source is null ? "" : " from " + SourceName(r.Source)),
        ReferralDecisionMade d => Kind(nameof(ReferralDecisionMade)) + ": " + d.Outcome switch
        {
            ReferralOutcome.Assessment => "a child and family assessment",
            ReferralOutcome.StrategyDiscussion => "a strategy discussion",
            ReferralOutcome.EarlyHelp => "early help",
            _ => "no further action",
        },
        StrategyDiscussionHeld h => Kind(nameof(StrategyDiscussionHeld)) + ": " + h.Outcome switch
        {
            StrategyOutcome.S47 => "a Section 47 enquiry",
            StrategyOutcome.Assessment => "a child and family assessment",
            _ => "no further action",
        } + Attended(h.Attendance),
        Section47Completed c => Kind(nameof(Section47Completed)) + (c.IcpcRequired
            ? ": an initial child protection conference is needed"
            : ": no conference needed"),
        AssessmentAuthorised a => Kind(nameof(AssessmentAuthorised)) + a.Outcome switch
        {
            AssessmentOutcome.Services => ": services needed",
            AssessmentOutcome.Nfa => ": no further action",
            _ => "",
        },
        InitialChildProtectionConferenceHeld i => Kind(nameof(InitialChildProtectionConferenceHeld)) + ": " +
            (i.PlanId is null ? "no plan made" : "a child protection plan made") + Attended(i.Attendance),
        EventRetracted r => Retraction(r, retracted),
        // the council's code, not its label: the label list is the council's configuration, not the event's
        BreachReasonRecorded b => $"Reason for delay recorded for the {b.Rule} clock of {b.Episode}: {b.Reason}" + (b.Note is { Length: > 0 } note ? $" (“{note}”)" : ""),
        // every other type says nothing its kind does not
        _ when EventTypes.NameOf(data) is var type && Kind(type) is var kind && kind != type => kind,
        _ => throw new ArgumentOutOfRangeException(nameof(data), data.GetType().Name, "not in the event catalogue"),
    };

    /// <summary>The episode id an event carries, said as a reference: "contact K1", "plan P1".</summary>
    public static string? Reference(IPathwayEventData data) => data switch
    {
        ContactReceived c => $"contact {c.ContactId}",
        ContactScreened s => $"contact {s.ContactId}",
        ReferralReceived r => $"referral {r.ReferralId}" + (r.ContactId is null ? "" : $", from contact {r.ContactId}"),
        ReferralDecisionMade d => $"referral {d.ReferralId}",
        StrategyDiscussionRequested q => $"strategy discussion {q.StrategyId}" + (q.ReferralId is null ? "" : $", referral {q.ReferralId}"),
        StrategyDiscussionHeld h => $"strategy discussion {h.StrategyId}",
        Section47Started s => $"enquiry {s.S47Id}" + (s.StrategyId is null ? "" : $", strategy discussion {s.StrategyId}"),
        Section47Completed c => $"enquiry {c.S47Id}",
        ChildSeen s => string.Join(", ", new[]
        {
            s.ReferralId is null ? null : $"referral {s.ReferralId}",
            s.S47Id is null ? null : $"enquiry {s.S47Id}",
            s.AssessmentId is null ? null : $"assessment {s.AssessmentId}",
        }.OfType<string>()) is { Length: > 0 } seen ? seen : null,
        AssessmentStarted a => $"assessment {a.AssessmentId}" + (a.ReferralId is null ? "" : $", referral {a.ReferralId}"),
        AssessmentAuthorised a => $"assessment {a.AssessmentId}",
        InitialChildProtectionConferenceHeld i => $"enquiry {i.S47Id}" + (i.PlanId is null ? "" : $", plan {i.PlanId}"),
        CoreGroupHeld g => $"plan {g.PlanId}",
        ChildProtectionReviewHeld r => $"plan {r.PlanId}",
        ChildProtectionPlanEnded e => $"plan {e.PlanId}",
        ChildInNeedPlanStarted p => $"child in need plan {p.CinPlanId}",
        ChildInNeedReviewHeld p => $"child in need plan {p.CinPlanId}",
        ChildInNeedPlanEnded p => $"child in need plan {p.CinPlanId}",
        ChildWentMissing m => $"missing episode {m.MissingId}",
        ChildReturned m => $"missing episode {m.MissingId}",
        ReturnInterviewOffered m => $"missing episode {m.MissingId}",
        ReturnInterviewCompleted m => $"missing episode {m.MissingId}",
        ReturnInterviewDeclined m => $"missing episode {m.MissingId}",
        BecameLookedAfter p => $"period {p.PeriodId}",
        LookedAfterReviewHeld p => $"period {p.PeriodId}",
        CeasedLookedAfter p => $"period {p.PeriodId}",
        EarlyHelpConsentGiven e => $"early help {e.EarlyHelpId}",
        EarlyHelpAssessmentCompleted e => $"early help {e.EarlyHelpId}",
        CaseClosed c => c.ReferralId is null ? null : $"referral {c.ReferralId}",
        _ => null,
    };

    private static string Contact(ContactReceived c)
    {
        var route = c.Route switch
        {
            ContactRoute.Mash => " (MASH)",
            ContactRoute.Ehap => " (early help)",
            _ => "",
        };
        var what = c.Source switch
        {
            null => Kind(nameof(ContactReceived)),
            "anonymous" => "Anonymous contact",
            var source => "Contact from " + SourceName(source),
        };
        return what + route + (c.RequestForInformation == true ? ", a request for information" : "");
    }

    /// <summary>Who a contact or referral came from; sources the demo and the case systems use are worded, others shown as given.</summary>
    private static string SourceName(string source) => source switch
    {
        "police" => "the police",
        "school" => "a school",
        "health" => "health",
        "self" => "the family (self-referral)",
        "la-housing" => "the council's housing service",
        "anonymous" => "an anonymous person",
        _ => source,
    };

    private static string Attended(Attendance? attendance)
    {
        if (attendance is null) return "";
        (string Name, bool? Came)[] agencies = [("the police", attendance.Police), ("health", attendance.Health), ("education", attendance.Education)];
        var came = agencies.Where(a => a.Came == true).Select(a => a.Name).ToList();
        var absent = agencies.Where(a => a.Came == false).Select(a => a.Name).ToList();
        var parts = new List<string>();
        if (came.Count > 0) parts.Add("attended by " + List(came));
        if (absent.Count > 0) parts.Add("not by " + List(absent));
        return parts.Count == 0 ? "" : "; " + string.Join(", ", parts);
    }

    private static string Retraction(EventRetracted r, Func<Guid, RetractedEvent?>? retracted)
    {
        if (retracted?.Invoke(r.RetractedId) is not { } target)
            return "An earlier record was withdrawn as made in error (it is not on this timeline)";
        if (target.Data is EventRetracted undone)
        {
            var first = retracted(undone.RetractedId);
            return first is null
                ? "An earlier withdrawal was itself undone: the record it withdrew counts again"
                : $"The withdrawal of “{What(first.Data)}” of {When(first.OccurredAt)} was undone: that record counts again";
        }
        return target.CorrectedAlongside
            ? $"Correction: “{What(target.Data)}” of {When(target.OccurredAt)} was replaced by a corrected record"
            : $"“{What(target.Data)}” of {When(target.OccurredAt)} was withdrawn as recorded in error: it no longer counts";
    }

    private static string List(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static string Count(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    /// <summary>A duration in the largest sensible unit: "4 minutes", "2 hours 5 minutes", "3 days".</summary>
    private static string Spoken(Duration d)
    {
        var minutes = (long)Math.Floor(d.TotalMinutes);
        if (minutes < 60) return Count(minutes, "minute");
        var hours = minutes / 60;
        if (hours < 24) return Count(hours, "hour") + (minutes % 60 == 0 ? "" : " " + Count(minutes % 60, "minute"));
        return Count(hours / 24, "day");
    }
}
