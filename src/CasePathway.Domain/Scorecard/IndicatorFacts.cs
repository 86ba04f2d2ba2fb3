using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Scorecard;

/// <summary>
/// The scorecard's facts of one child, from the child's whole stream as now known: pure, so the projection,
/// a rebuild and a test all get the same answer. Retracted events are dropped by the same
/// <see cref="ClockFold.Timeline"/> the clocks use. Timeliness is counted here with the working calendar
/// directly, by each indicator's own definition (<see cref="Indicators"/>), not by the tenant's rulebook.
/// </summary>
public static class IndicatorFacts
{
    private static readonly Duration Day = Duration.FromHours(24);
    private static readonly Duration ThreeDays = Duration.FromHours(72);

    public static IReadOnlyList<IndicatorFact> Of(IReadOnlyList<PathwayEvent> events, WorkingCalendar calendar)
    {
        var timeline = ClockFold.Timeline(events, Instant.MaxValue);
        var facts = new List<IndicatorFact>();
        var teamAt = TeamLookup(timeline);

        // The first event of a kind for each episode id counts; later repeats are corrections of no effect.
        var contacts = First<ContactReceived>(timeline, d => d.ContactId);
        var referrals = First<ReferralReceived>(timeline, d => d.ReferralId);

        Contacts(facts, timeline, contacts, calendar, teamAt);
        Referrals(facts, timeline, contacts, referrals, calendar, teamAt);
        Assessments(facts, timeline, calendar, teamAt);
        Section47s(facts, timeline, calendar, teamAt);
        Reviews(facts, timeline, calendar, teamAt);
        Missing(facts, timeline, calendar, teamAt);
        return facts;
    }

    private static void Contacts(
        List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline, Dictionary<string, (PathwayEvent Event, ContactReceived Data)> contacts,
        WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        foreach (var (id, (e, c)) in contacts)
        {
            var route = WireNames.Of(c.Route);
            facts.Add(new("FD1", e.Id, e.OccurredAt.Date, id, null, true, true, Route: route, Source: c.Source, Team: teamAt(e)));
            facts.Add(new("FD7", e.Id, e.OccurredAt.Date, id, null, false, true, Route: route, Source: c.Source, Team: teamAt(e)));
        }

        foreach (var (id, (s, screened)) in First<ContactScreened>(timeline, d => d.ContactId))
        {
            if (!contacts.TryGetValue(id, out var contact) || s.OccurredAt.IsBefore(contact.Event.OccurredAt)) continue;
            var c = contact.Data;
            var route = WireNames.Of(c.Route);
            var team = teamAt(s);
            var days = calendar.WorkingDaysBetween(contact.Event.OccurredAt.Date, s.OccurredAt.Date);
            IndicatorFact Fact(string indicator, string? rule, bool inNumerator, decimal? value = null) =>
                new(indicator, s.Id, s.OccurredAt.Date, id, rule, inNumerator, true, value, route, c.Source, team);

            if (c.Route == ContactRoute.Ehap)
            {
                facts.Add(Fact("FD9", "ehap-screening", s.OccurredAt.Date <= calendar.AddWorkingDays(contact.Event.OccurredAt.Date, 5), days));
                facts.Add(Fact("FD13", null, screened.Outcome == ScreeningOutcome.Referral));
                facts.Add(Fact("FD14", null, screened.Outcome == ScreeningOutcome.EarlyHelp));
                facts.Add(Fact("FD15", null, screened.Outcome == ScreeningOutcome.InformationAdvice));
            }
            else
            {
                if (c.RequestForInformation != true)
                {
                    var due = calendar.AddWorkingHours(contact.Event.OccurredAt.LocalDateTime, 72);
                    facts.Add(Fact("FD8", "mash-screening", s.OccurredAt.LocalDateTime <= due, days));
                }
                facts.Add(Fact("FD10", null, screened.Outcome == ScreeningOutcome.Referral));
                facts.Add(Fact("FD11", null, screened.Outcome == ScreeningOutcome.EarlyHelp));
                facts.Add(Fact("FD12", null, screened.Outcome == ScreeningOutcome.InformationAdvice));
            }
            if (screened.Outcome == ScreeningOutcome.EarlyHelp) facts.Add(Fact("EH1", null, true, days));
        }
    }

    private static void Referrals(
        List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline,
        Dictionary<string, (PathwayEvent Event, ContactReceived Data)> contacts,
        Dictionary<string, (PathwayEvent Event, ReferralReceived Data)> referrals, WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        var all = referrals.Values.Select(r => r.Event).ToList();
        foreach (var (id, (e, r)) in referrals)
        {
            var contact = r.ContactId is { } cid && contacts.TryGetValue(cid, out var c) ? c.Data : null;
            var route = contact is null ? null : WireNames.Of(contact.Route);
            var source = r.Source ?? contact?.Source;
            var team = teamAt(e);
            var yearBefore = e.OccurredAt.Date.PlusMonths(-12);
            var reReferral = all.Any(p => p.Id != e.Id && p.OccurredAt.IsBefore(e.OccurredAt) && p.OccurredAt.Date >= yearBefore);
            facts.Add(new("CIN1", e.Id, e.OccurredAt.Date, id, null, true, true, Route: route, Source: source, Team: team));
            facts.Add(new("FD7", e.Id, e.OccurredAt.Date, id, null, true, false, Route: route, Source: source, Team: team));
            facts.Add(new("CIN4", e.Id, e.OccurredAt.Date, id, null, reReferral, true, Route: route, Source: source, Team: team));
        }

        foreach (var (id, (d, _)) in First<ReferralDecisionMade>(timeline, x => x.ReferralId))
        {
            if (!referrals.TryGetValue(id, out var referral) || d.OccurredAt.IsBefore(referral.Event.OccurredAt)) continue;
            var within = d.OccurredAt.ToInstant() <= referral.Event.OccurredAt.ToInstant() + Day;
            facts.Add(new("CIN3", d.Id, d.OccurredAt.Date, id, "referral-decision", within, true, ElapsedHours(calendar, referral.Event, d), Source: referral.Data.Source, Team: teamAt(d)));
        }
    }

    private static void Assessments(List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline, WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        var started = First<AssessmentStarted>(timeline, d => d.AssessmentId);
        foreach (var (id, (e, _)) in started)
            facts.Add(new(Indicators.AssessmentsStarted, e.Id, e.OccurredAt.Date, id, null, true, true, Team: teamAt(e)));

        foreach (var (id, (e, a)) in First<AssessmentAuthorised>(timeline, d => d.AssessmentId))
        {
            var team = teamAt(e);
            // An outcome the source did not give (Annex A often leaves it blank) finds neither need nor no need:
            // in neither part of CIN5, as a conference without attendance is in neither of SG8–SG10.
            if (a.Outcome is { } outcome) facts.Add(new("CIN5", e.Id, e.OccurredAt.Date, id, null, outcome == AssessmentOutcome.Nfa, true, Team: team));
            if (!started.TryGetValue(id, out var start) || e.OccurredAt.IsBefore(start.Event.OccurredAt)) continue;
            var from = start.Event.OccurredAt.Date;
            facts.Add(new("CIN8", e.Id, e.OccurredAt.Date, id, "assessment-duration", e.OccurredAt.Date <= calendar.AddWorkingDays(from, 45), true,
                calendar.WorkingDaysBetween(from, e.OccurredAt.Date), Team: team));
        }
    }

    private static void Section47s(List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline, WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        foreach (var (id, (e, held)) in First<StrategyDiscussionHeld>(timeline, d => d.StrategyId))
        {
            var team = teamAt(e);
            facts.Add(new("CIN9", e.Id, e.OccurredAt.Date, id, null, true, true, Team: team));
            facts.Add(new("CIN11", e.Id, e.OccurredAt.Date, id, null, held.Outcome == StrategyOutcome.S47, true, Team: team));
            facts.Add(new("CIN12", e.Id, e.OccurredAt.Date, id, null, held.Outcome == StrategyOutcome.Nfa, true, Team: team));
        }

        var starts = First<Section47Started>(timeline, d => d.S47Id);
        foreach (var (id, (e, _)) in starts)
            facts.Add(new(Indicators.Section47sStarted, e.Id, e.OccurredAt.Date, id, null, true, true, Team: teamAt(e)));

        var conferences = First<InitialChildProtectionConferenceHeld>(timeline, d => d.S47Id);
        var completions = First<Section47Completed>(timeline, d => d.S47Id);
        foreach (var id in conferences.Keys.Union(completions.Keys, StringComparer.Ordinal))
        {
            var conference = conferences.TryGetValue(id, out var icpc) ? icpc.Event : null;
            var completed = completions.TryGetValue(id, out var done) ? done : default;
            // Completed by whichever came first: the enquiry's own completion or a conference.
            var by = conference is not null && (completed.Event is null || conference.OccurredAt.IsBefore(completed.Event.OccurredAt))
                ? conference
                : completed.Event!;
            var leadsToConference = conference is not null || completed.Data?.IcpcRequired == true;
            var team = teamAt(by);
            facts.Add(new("CIN13", by.Id, by.OccurredAt.Date, id, null, true, true, Team: team));
            facts.Add(new("CIN15", by.Id, by.OccurredAt.Date, id, null, leadsToConference, true, Team: team));
        }

        foreach (var (id, (e, held)) in conferences)
        {
            var team = teamAt(e);
            facts.Add(new("SG7", e.Id, e.OccurredAt.Date, id, null, true, true, Team: team));
            if (held.PlanId is { } plan) facts.Add(new(Indicators.PlansMade, e.Id, e.OccurredAt.Date, plan, null, true, true, Team: team));
            if (starts.TryGetValue(id, out var start) && !e.OccurredAt.IsBefore(start.Event.OccurredAt))
            {
                var from = start.Event.OccurredAt.Date;
                facts.Add(new("SG6", e.Id, e.OccurredAt.Date, id, "icpc", e.OccurredAt.Date <= calendar.AddWorkingDays(from, 15), true,
                    calendar.WorkingDaysBetween(from, e.OccurredAt.Date), Team: team));
            }
            Attendance("SG8", held.Attendance?.Police);
            Attendance("SG9", held.Attendance?.Health);
            Attendance("SG10", held.Attendance?.Education);

            void Attendance(string indicator, bool? attended)
            {
                if (attended is { } a) facts.Add(new(indicator, e.Id, e.OccurredAt.Date, id, null, a, true, Team: team));
            }
        }
    }

    private static void Reviews(List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline, WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        // Plans start at the conference that made them; each review is due from the one before it.
        var plans = timeline
            .Where(e => e.Data is InitialChildProtectionConferenceHeld { PlanId: not null })
            .GroupBy(e => ((InitialChildProtectionConferenceHeld)e.Data).PlanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (plan, conference) in plans)
        {
            var reviews = timeline.Where(e => e.Data is ChildProtectionReviewHeld r && r.PlanId == plan && !e.OccurredAt.IsBefore(conference.OccurredAt));
            Chain(facts, "SG12", "cp-review", plan, conference, reviews, (n, from) => from.PlusMonths(n == 1 ? 3 : 6), teamAt);
        }

        var periods = First<BecameLookedAfter>(timeline, d => d.PeriodId);
        foreach (var (period, (start, _)) in periods)
        {
            var reviews = timeline.Where(e => e.Data is LookedAfterReviewHeld r && r.PeriodId == period && !e.OccurredAt.IsBefore(start.OccurredAt));
            Chain(facts, "SG15", "cla-review", period, start, reviews,
                (n, from) => n switch { 1 => calendar.AddWorkingDays(from, 20), 2 => from.PlusMonths(3), _ => from.PlusMonths(6) }, teamAt);
        }

        // CIN17's own 3 months, whatever a tenant's cin-review rule allows (the timescale is local, not national).
        foreach (var (plan, (start, _)) in First<ChildInNeedPlanStarted>(timeline, d => d.CinPlanId))
        {
            var reviews = timeline.Where(e => e.Data is ChildInNeedReviewHeld r && r.CinPlanId == plan && !e.OccurredAt.IsBefore(start.OccurredAt));
            Chain(facts, "CIN17", "cin-review", plan, start, reviews, (_, from) => from.PlusMonths(3), teamAt);
        }
    }

    private static void Chain(
        List<IndicatorFact> facts, string indicator, string rule, string episode, PathwayEvent start, IEnumerable<PathwayEvent> reviews,
        Func<int, LocalDate, LocalDate> due, Func<PathwayEvent, string?> teamAt)
    {
        var from = start.OccurredAt.Date;
        var n = 0;
        foreach (var review in reviews)
        {
            n++;
            facts.Add(new(indicator, review.Id, review.OccurredAt.Date, $"{episode}#{n}", rule, review.OccurredAt.Date <= due(n, from), true, Team: teamAt(review)));
            from = review.OccurredAt.Date;
        }
    }

    private static void Missing(List<IndicatorFact> facts, IReadOnlyList<PathwayEvent> timeline, WorkingCalendar calendar, Func<PathwayEvent, string?> teamAt)
    {
        foreach (var (id, (e, _)) in First<ReturnInterviewOffered>(timeline, d => d.MissingId))
            facts.Add(new("CIN22", e.Id, e.OccurredAt.Date, id, null, true, true, Team: teamAt(e)));

        var returns = First<ChildReturned>(timeline, d => d.MissingId);
        foreach (var (id, (e, _)) in First<ReturnInterviewCompleted>(timeline, d => d.MissingId))
        {
            if (!returns.TryGetValue(id, out var returned) || e.OccurredAt.IsBefore(returned.Event.OccurredAt)) continue;
            var back = returned.Event.OccurredAt.ToInstant();
            var at = e.OccurredAt.ToInstant();
            facts.Add(new("CIN23", e.Id, e.OccurredAt.Date, id, "return-interview", at <= back + ThreeDays, true,
                ElapsedHours(calendar, returned.Event, e), Team: teamAt(e)));
        }
    }

    /// <summary>The hours measured, counted and rounded as a clock's elapsed hours are (docs/conventions.md, "Elapsed").</summary>
    private static decimal ElapsedHours(WorkingCalendar calendar, PathwayEvent from, PathwayEvent to) =>
        ClockElapsed.Of(calendar, from.OccurredAt, to.OccurredAt, null, to.OccurredAt.ToInstant(), TimeUnit.ElapsedHours);

    /// <summary>The first event (in occurrence order) of type <typeparamref name="T"/> for each episode id.</summary>
    private static Dictionary<string, (PathwayEvent Event, T Data)> First<T>(IReadOnlyList<PathwayEvent> timeline, Func<T, string?> idOf)
        where T : IPathwayEventData
    {
        var first = new Dictionary<string, (PathwayEvent, T)>(StringComparer.Ordinal);
        foreach (var e in timeline)
            if (e.Data is T data && idOf(data) is { } id) first.TryAdd(id, (e, data));
        return first;
    }

    /// <summary>The team holding the case when an event happened: the latest allocation occurring no later.</summary>
    private static Func<PathwayEvent, string?> TeamLookup(IReadOnlyList<PathwayEvent> timeline)
    {
        var allocations = timeline.Where(e => e.Data is CaseAllocated).ToList();
        if (allocations.Count == 0) return _ => null;
        return e =>
        {
            var at = e.OccurredAt.ToInstant();
            return (allocations.LastOrDefault(a => a.OccurredAt.ToInstant() <= at)?.Data as CaseAllocated)?.Team;
        };
    }
}
