using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Import.Demo;

/// <summary>
/// A seeded, synthetic front door for demonstrations and browser tests: contacts, screenings, referrals,
/// strategy discussions, S47 enquiries, conferences, plans, assessments, child in need plans and their
/// reviews, missing episodes and care periods over the months before <c>now</c>, some recorded late, a few
/// retracted. No real person is in it. The same tenant, seed and anchor day always give the same events (and the same ids), so loading
/// twice on one day appends nothing new.
/// </summary>
public sealed class DemoPathways
{
    private static readonly string[] AssessmentTeams = ["Assessment North", "Assessment South", "Assessment East"];
    private static readonly string[] ContactSources = ["police", "school", "health", "self", "la-housing", "anonymous"];
    private static readonly string[] Recorders = ["mash.duty1", "mash.duty2", "eh.hub", "sw.team"];

    private readonly string _tenant;
    private readonly Instant _now;
    private readonly Random _random;
    private readonly List<PathwayEvent> _events = [];
    private readonly string _idSeed;
    private int _counter;

    private readonly FrontDoorShape _shape;
    private readonly int _spanDays;

    private DemoPathways(string tenant, Instant now, int seed, FrontDoorShape shape, int spanDays, string idSeed)
    {
        _tenant = tenant;
        _now = now;
        _random = new Random(seed);
        _shape = shape;
        _spanDays = spanDays;
        _idSeed = idSeed;
    }

    /// <summary>
    /// Generates <paramref name="children"/> children's pathways over the 14 months before
    /// <paramref name="now"/>; nothing occurs after <paramref name="now"/>, so some clocks are still open.
    /// </summary>
    public static IReadOnlyList<PathwayEvent> Generate(string tenant, Instant now, int children = 400, int seed = 20221003)
    {
        var demo = new DemoPathways(tenant, now, seed, FrontDoorShape.Demo, 425, $"{tenant}|{London.DateOf(now):yyyy-MM-dd}|{seed}");
        for (var i = 1; i <= children; i++) demo.Child($"D{i:0000}");
        foreach (var e in demo._events) CheckDoor(e, now);
        return demo._events;
    }

    /// <summary>
    /// One council's pathways for <c>generate</c>, a child at a time so that memory does not grow with the
    /// council: contacts spread over the <paramref name="years"/> before <paramref name="now"/>, with the
    /// volumes and delays of <paramref name="shape"/>. Children are <c>G0000001</c>…; the same arguments give the
    /// same events and ids.
    /// </summary>
    public static IEnumerable<IReadOnlyList<PathwayEvent>> Stream(string tenant, Instant now, int children, int years, int seed, FrontDoorShape shape)
    {
        var generator = new DemoPathways(tenant, now, seed, shape, (int)Math.Round(years * 365.25), $"{tenant}|{now}|{seed}|{years}");
        for (var i = 1; i <= children; i++)
        {
            generator._events.Clear();
            generator.Child($"G{i:0000000}");
            foreach (var e in generator._events) CheckDoor(e, now);
            yield return generator._events.ToList();
        }
    }

    // The same door as every other source: generated data the API would refuse must not be loaded behind its back.
    private static void CheckDoor(PathwayEvent e, Instant now)
    {
        if (DoorLimits.Check(e, now) is { Count: > 0 } errors) throw new InvalidEventException(errors);
    }

    private void Child(string child)
    {
        var contactAt = WorkingMoment(_now - Duration.FromDays(_random.Next(0, _spanDays)));
        var pathways = _random.NextDouble() < _shape.SecondContact ? 2 : 1;
        for (var p = 0; p < pathways && contactAt < _now; p++)
        {
            Contact(child, $"{child}-K{p + 1}", contactAt);
            contactAt = WorkingMoment(contactAt + Duration.FromDays(_random.Next(30, 200)));
        }
        if (_random.NextDouble() < 0.08) Missing(child, WorkingMoment(_now - Duration.FromDays(_random.Next(0, 300))));
        if (_random.NextDouble() < 0.05) LookedAfter(child, WorkingMoment(_now - Duration.FromDays(_random.Next(0, 420))));
    }

    private void Contact(string child, string contactId, Instant at)
    {
        var route = _random.NextDouble() < _shape.Mash ? ContactRoute.Mash : ContactRoute.Ehap;
        var rfi = route == ContactRoute.Mash && _random.NextDouble() < 0.1;
        Emit(child, at, new ContactReceived(contactId, route, Pick(ContactSources), rfi ? true : null));
        // The front door holds the contact until it is screened.
        Emit(child, at + Duration.FromMinutes(5), route == ContactRoute.Mash
            ? new CaseAllocated("MASH", $"MASH{_random.Next(1, 5)}")
            : new CaseAllocated("Early Help Hub", $"EH{_random.Next(1, 4)}"));
        var screenedAt = at + Duration.FromHours(Skewed(2, route == ContactRoute.Mash ? 140 : 200));
        if (screenedAt > _now || Stuck(0.02)) return;
        var roll = _random.NextDouble();
        var outcome = route == ContactRoute.Ehap
            ? roll < 0.6 ? ScreeningOutcome.EarlyHelp : roll < 0.7 ? ScreeningOutcome.Referral : ScreeningOutcome.InformationAdvice
            : roll < _shape.MashReferral ? ScreeningOutcome.Referral : roll < _shape.MashReferral + 0.19 ? ScreeningOutcome.EarlyHelp : roll < _shape.MashReferral + 0.48 ? ScreeningOutcome.InformationAdvice : ScreeningOutcome.Nfa;
        Emit(child, screenedAt, new ContactScreened(contactId, outcome));
        switch (outcome)
        {
            case ScreeningOutcome.Referral:
                Referral(child, contactId.Replace("-K", "-R"), contactId, screenedAt, Pick(ContactSources));
                break;
            case ScreeningOutcome.EarlyHelp:
                EarlyHelp(child, contactId.Replace("-K", "-EH"), screenedAt);
                break;
        }
    }

    private void Referral(string child, string referralId, string contactId, Instant at, string source)
    {
        Emit(child, at, new ReferralReceived(referralId, contactId, source));
        var decidedAt = at + Duration.FromHours(Skewed(1, 60));
        if (decidedAt > _now || Stuck(0.03)) return;
        var roll = _random.NextDouble();
        var outcome = roll < _shape.ReferralAssessment ? ReferralOutcome.Assessment
            : roll < _shape.ReferralAssessment + _shape.ReferralStrategy ? ReferralOutcome.StrategyDiscussion
            : roll < (1 + _shape.ReferralAssessment + _shape.ReferralStrategy) / 2 ? ReferralOutcome.EarlyHelp : ReferralOutcome.Nfa;
        Emit(child, decidedAt, new ReferralDecisionMade(referralId, outcome));
        var team = Pick(AssessmentTeams);
        Emit(child, decidedAt + Duration.FromMinutes(30), new CaseAllocated(team, $"{team.Split(' ')[1][0]}W{_random.Next(1, 7)}"));
        if (outcome == ReferralOutcome.StrategyDiscussion) Strategy(child, referralId.Replace("-R", "-SD"), referralId, decidedAt);
        if (outcome is ReferralOutcome.Assessment or ReferralOutcome.StrategyDiscussion)
            Assessment(child, referralId.Replace("-R", "-A"), referralId, decidedAt + Duration.FromDays(_random.Next(0, 3)));
        else if (_random.NextDouble() < 0.7)
            Emit(child, decidedAt + Duration.FromDays(_random.Next(1, 5)), new CaseClosed(referralId));
    }

    private void Assessment(string child, string assessmentId, string referralId, Instant startedAt)
    {
        if (startedAt > _now) return;
        Emit(child, startedAt, new AssessmentStarted(assessmentId, referralId));
        if (_random.NextDouble() < 0.7) Emit(child, startedAt + Duration.FromDays(_random.Next(1, 10)), new ChildSeen(AssessmentId: assessmentId));
        var authorisedAt = startedAt + Duration.FromDays(Skewed(5, 85));
        if (authorisedAt > _now || Stuck(0.06)) return;
        var outcome = _random.NextDouble() < 0.6 ? AssessmentOutcome.Services : AssessmentOutcome.Nfa;
        Emit(child, authorisedAt, new AssessmentAuthorised(assessmentId, outcome));
        if (outcome == AssessmentOutcome.Services && _random.NextDouble() < 0.5)
            ChildInNeedPlan(child, assessmentId.Replace("-A", "-CINP"), authorisedAt);
    }

    /// <summary>A child in need plan after an assessment finding need: reviews about every 3 months (some late), some plans ended.</summary>
    private void ChildInNeedPlan(string child, string cinPlanId, Instant authorisedAt)
    {
        var startedAt = WorkingMoment(authorisedAt + Duration.FromDays(_random.Next(1, 15)));
        if (startedAt > _now) return;
        Emit(child, startedAt, new ChildInNeedPlanStarted(cinPlanId));
        Instant? endedAt = _random.NextDouble() < 0.5 ? WorkingMoment(startedAt + Duration.FromDays(_random.Next(100, 400))) : null;
        var reviewAt = startedAt;
        while (true)
        {
            // 3 months is 89–92 days: most reviews fall within it, about a third later.
            reviewAt = WorkingMoment(reviewAt + Duration.FromDays(_random.Next(70, 104)));
            if (reviewAt > _now || reviewAt > endedAt) break;
            Emit(child, reviewAt, new ChildInNeedReviewHeld(cinPlanId));
        }
        if (endedAt is { } ended) Emit(child, ended, new ChildInNeedPlanEnded(cinPlanId));
    }

    private void Strategy(string child, string strategyId, string referralId, Instant requestedAt)
    {
        Emit(child, requestedAt, new StrategyDiscussionRequested(strategyId, referralId));
        var heldAt = requestedAt + Duration.FromHours(Skewed(2, 80));
        if (heldAt > _now || Stuck(0.04)) return;
        var roll = _random.NextDouble();
        var outcome = roll < _shape.StrategySection47 ? StrategyOutcome.S47 : roll < _shape.StrategySection47 + 0.09 ? StrategyOutcome.Assessment : StrategyOutcome.Nfa;
        Emit(child, heldAt, new StrategyDiscussionHeld(strategyId, outcome, RandomAttendance()));
        if (outcome == StrategyOutcome.S47) Section47(child, strategyId.Replace("-SD", "-S47"), strategyId, heldAt);
    }

    private void Section47(string child, string s47Id, string strategyId, Instant startedAt)
    {
        Emit(child, startedAt, new Section47Started(s47Id, strategyId));
        Emit(child, startedAt + Duration.FromHours(2), new CaseAllocated("Child Protection", $"CPW{_random.Next(1, 6)}"));
        if (_random.NextDouble() < _shape.Section47WithoutConference)
        {
            var completedAt = startedAt + Duration.FromDays(_random.Next(3, 20));
            if (completedAt <= _now) Emit(child, completedAt, new Section47Completed(s47Id, false));
            return;
        }
        var conferenceAt = WorkingMoment(startedAt + Duration.FromDays(Skewed(10, 34)));
        if (conferenceAt > _now || Stuck(0.05)) return;
        var planId = _random.NextDouble() < 0.85 ? s47Id.Replace("-S47", "-P") : null;
        Emit(child, conferenceAt, new InitialChildProtectionConferenceHeld(s47Id, planId, RandomAttendance()));
        if (planId is not null) Plan(child, planId, conferenceAt);
    }

    private void Plan(string child, string planId, Instant conferenceAt)
    {
        var coreGroupAt = WorkingMoment(conferenceAt + Duration.FromDays(Skewed(4, 20)));
        if (coreGroupAt <= _now) Emit(child, coreGroupAt, new CoreGroupHeld(planId));
        var endsAt = conferenceAt + Duration.FromDays(_random.Next(150, 540));
        var reviewAt = conferenceAt;
        for (var n = 0; ; n++)
        {
            reviewAt = WorkingMoment(reviewAt + Duration.FromDays((n == 0 ? 84 : 175) + _random.Next(-10, 24)));
            if (reviewAt > _now || reviewAt > endsAt) break;
            Emit(child, reviewAt, new ChildProtectionReviewHeld(planId));
        }
        if (endsAt <= _now) Emit(child, WorkingMoment(endsAt), new ChildProtectionPlanEnded(planId));
    }

    private void EarlyHelp(string child, string earlyHelpId, Instant screenedAt)
    {
        var consentAt = WorkingMoment(screenedAt + Duration.FromDays(_random.Next(1, 10)));
        if (consentAt > _now || _random.NextDouble() < 0.3) return;
        Emit(child, consentAt, new EarlyHelpConsentGiven(earlyHelpId));
        var completedAt = WorkingMoment(consentAt + Duration.FromDays(Skewed(15, 80)));
        if (completedAt <= _now) Emit(child, completedAt, new EarlyHelpAssessmentCompleted(earlyHelpId));
    }

    private void Missing(string child, Instant wentAt)
    {
        var missingId = $"{child}-M1";
        Emit(child, wentAt, new ChildWentMissing(missingId));
        var returnedAt = wentAt + Duration.FromHours(_random.Next(3, 72));
        if (returnedAt > _now) return;
        Emit(child, returnedAt, new ChildReturned(missingId));
        var offeredAt = returnedAt + Duration.FromHours(_random.Next(1, 30));
        if (offeredAt > _now) return;
        Emit(child, offeredAt, new ReturnInterviewOffered(missingId));
        var doneAt = returnedAt + Duration.FromHours(Skewed(10, 110));
        if (doneAt > _now) return;
        Emit(child, doneAt, _random.NextDouble() < 0.1 ? new ReturnInterviewDeclined(missingId) : new ReturnInterviewCompleted(missingId));
    }

    private void LookedAfter(string child, Instant startedAt)
    {
        var periodId = $"{child}-LA1";
        Emit(child, startedAt, new BecameLookedAfter(periodId));
        Emit(child, startedAt + Duration.FromHours(1), new CaseAllocated("Children in Care", $"CCW{_random.Next(1, 5)}"));
        var reviewAt = startedAt;
        int[] gaps = [28, 91, 182];
        for (var n = 0; ; n++)
        {
            reviewAt = WorkingMoment(reviewAt + Duration.FromDays(gaps[Math.Min(n, 2)] + _random.Next(-7, 14)));
            if (reviewAt > _now) break;
            Emit(child, reviewAt, new LookedAfterReviewHeld(periodId));
        }
    }

    private void Emit(string child, Instant occurredAt, IPathwayEventData data)
    {
        if (occurredAt > _now) return;
        // Most events are recorded within the hour; some days late, as audits find.
        var lateness = _random.NextDouble() < 0.07
            ? Duration.FromDays(_random.Next(3, 21))
            : Duration.FromMinutes(_random.Next(1, 90));
        var recordedAt = occurredAt + lateness;
        if (recordedAt > _now) recordedAt = _now;
        var e = new PathwayEvent(NextId(), _tenant, child, Occurrence.At(occurredAt), data, recordedAt, Pick(Recorders), "demo");
        _events.Add(e);
        if (_random.NextDouble() < 0.006 && data is not CaseAllocated)
        {
            // Recorded in error (wrong child, say) and put right: retracted, then recorded again a day later.
            var correctedAt = recordedAt + Duration.FromDays(1) > _now ? _now : recordedAt + Duration.FromDays(1);
            _events.Add(new PathwayEvent(NextId(), _tenant, child, Occurrence.At(correctedAt), new EventRetracted(e.Id), correctedAt, "qa.lead", "demo"));
            _events.Add(e with { Id = NextId(), RecordedAt = correctedAt, RecordedBy = "qa.lead" });
        }
    }

    private Guid NextId()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{_idSeed}|{_counter++}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// A case where the next step is never recorded: the systemic delay inspectors find, and what keeps a
    /// breach list from being empty.
    /// </summary>
    private bool Stuck(double share) => _random.NextDouble() < share;

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>A whole number from min to max, skewed towards the lower end as delays are.</summary>
    private int Skewed(int min, int max) => min + (int)((max - min) * Math.Pow(_random.NextDouble(), 1.8));

    /// <summary>Moves an instant into office hours (08:00–18:00 London) on a weekday.</summary>
    private Instant WorkingMoment(Instant around)
    {
        var local = London.LocalDateTimeOf(around);
        var date = local.Date;
        while (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) date = date.PlusDays(1);
        var time = new LocalTime(8 + _random.Next(0, 10), _random.Next(0, 60));
        return London.InstantOf(date + time);
    }

    private Attendance RandomAttendance() =>
        new(_random.NextDouble() < 0.88, _random.NextDouble() < 0.85, _random.NextDouble() < 0.8);
}
