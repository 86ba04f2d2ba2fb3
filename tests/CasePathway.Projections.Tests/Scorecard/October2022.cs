using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Host.Runtime;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;

namespace CasePathway.Projections.Tests.Scorecard;

/// <summary>
/// A hand-made October 2022 for one tenant, every indicator fed. Each child's comment says what it is
/// there to prove; the expected figures in <see cref="October2022Tests"/> are counted from these comments,
/// not from the code. British Summer Time ended at 02:00 on Sunday 30 October 2022 (+01:00 before, +00:00 after).
/// </summary>
public sealed class October2022 : ProjectionDatabase
{
    public October2022() : base(Tenants) { }

    public static readonly TenantSettings Settings = new(
        "oct22",
        Name: "October Borough",
        ChildPopulation: 5000,
        Targets: new Dictionary<string, decimal> { ["FD8"] = 85, ["SG6"] = 80 },
        Benchmarks: new Dictionary<string, Benchmarks> { ["CIN4"] = new(21.5m, 20.9m, 23.0m) });

    public static readonly TenantDirectory Tenants = new([Settings]);

    internal ScorecardWorld World { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        World = new ScorecardWorld(this, Settings.Tenant, Tenants);
        Contacts(World);
        Referrals(World);
        Assessments(World);
        StrategyAndSection47(World);
        Reviews(World);
        Missing(World);
        await World.ProjectAsync();
    }

    private static void Contacts(ScorecardWorld w)
    {
        // A1: MASH, 72 working hours from Wed 26 Oct 11:00 BST is Mon 31 Oct 11:00 GMT (across the clock change): met exactly.
        w.Add("A1", "2022-10-20T09:00:00+01:00", new CaseAllocated("Front door", "w1"));
        w.Add("A1", "2022-10-26T11:00:00+01:00", new ContactReceived("K1", ContactRoute.Mash, "police"));
        w.Add("A1", "2022-10-31T11:00:00+00:00", new ContactScreened("K1", ScreeningOutcome.Referral));
        // A2: the same contact time screened 30 minutes later: late. Early help after 3 working days (27, 28, 31 Oct).
        w.Add("A2", "2022-10-26T11:00:00+01:00", new ContactReceived("K2", ContactRoute.Mash, "school"));
        w.Add("A2", "2022-10-31T11:30:00+00:00", new ContactScreened("K2", ScreeningOutcome.EarlyHelp));
        // A3: a request for information: in FD10–FD12, not in FD8 (11 days to screen would be late).
        w.Add("A3", "2022-10-03T09:00:00+01:00", new ContactReceived("K3", ContactRoute.Mash, "health", RequestForInformation: true));
        w.Add("A3", "2022-10-14T09:00:00+01:00", new ContactScreened("K3", ScreeningOutcome.InformationAdvice));
        // A4: EHAP: Mon 3 Oct + 5 WD = Mon 10 Oct; screened that date (date only): met, early help after 5 WD.
        //     A second contact screened Tue 11 Oct: late, nfa.
        w.Add("A4", "2022-10-03T10:00:00+01:00", new ContactReceived("K4", ContactRoute.Ehap, "school"));
        w.Add("A4", "2022-10-10", new ContactScreened("K4", ScreeningOutcome.EarlyHelp));
        w.Add("A4", "2022-10-03T10:00:00+01:00", new ContactReceived("K5", ContactRoute.Ehap, "police"));
        w.Add("A4", "2022-10-11T10:00:00+01:00", new ContactScreened("K5", ScreeningOutcome.Nfa));
        // A5: month boundaries by London date: 00:30 BST on 1 Oct (30 Sep in UTC) is October; 23:30 BST on 30 Sep
        //     is September; 23:30 GMT on 31 Oct is October; 00:30 GMT on 1 Nov is November.
        w.Add("A5", "2022-10-01T00:30:00+01:00", new ContactReceived("K6", ContactRoute.Mash, "police"));
        w.Add("A5", "2022-09-30T23:30:00+01:00", new ContactReceived("K7", ContactRoute.Mash, "police"));
        w.Add("A5", "2022-10-31T23:30:00+00:00", new ContactReceived("K9", ContactRoute.Mash, "police"));
        w.Add("A5", "2022-11-01T00:30:00+00:00", new ContactReceived("K8", ContactRoute.Mash, "police"));
        // A6: a screening recorded in error and retracted counts nowhere; a retracted contact is not received.
        w.Add("A6", "2022-10-10T09:00:00+01:00", new ContactReceived("K10", ContactRoute.Mash, "police"));
        var wrong = w.Add("A6", "2022-10-10T12:00:00+01:00", new ContactScreened("K10", ScreeningOutcome.Referral));
        w.Retract("A6", "2022-10-12T09:00:00+01:00", wrong);
        var wrongContact = w.Add("A6", "2022-10-11T09:00:00+01:00", new ContactReceived("K11", ContactRoute.Mash, "police"));
        w.Retract("A6", "2022-10-12T09:05:00+01:00", wrongContact);
        // A7: recorded a month late, still October's.
        w.Add("A7", "2022-10-18T09:00:00+01:00", new ContactReceived("K12", ContactRoute.Mash, "police"), recordedAt: "2022-11-20T10:00:00+00:00");
        // A8: route unknown (Annex A) counts as MASH; Fri 14 Oct 14:30 + 72 WH = Wed 19 Oct 14:30: met at the due instant.
        w.Add("A8", "2022-10-14T14:30:00+01:00", new ContactReceived("K13", ContactRoute.Unknown, "anonymous"));
        w.Add("A8", "2022-10-19T14:30:00+01:00", new ContactScreened("K13", ScreeningOutcome.Nfa));
        // B1's contact, never screened.
        w.Add("B1", "2022-10-03T08:00:00+01:00", new ContactReceived("K14", ContactRoute.Mash, "police"));
    }

    private static void Referrals(ScorecardWorld w)
    {
        w.Add("A1", "2022-10-31T11:30:00+00:00", new ReferralReceived("R1", "K1"));
        w.Add("A1", "2022-11-01T09:00:00+00:00", new ReferralDecisionMade("R1", ReferralOutcome.Assessment)); // November's
        // B1: decided exactly 24 hours later: within. B2: 24 hours and 1 minute: not.
        w.Add("B1", "2022-10-03T09:00:00+01:00", new ReferralReceived("R2", "K14", "police"));
        w.Add("B1", "2022-10-04T09:00:00+01:00", new ReferralDecisionMade("R2", ReferralOutcome.Assessment));
        w.Add("B2", "2022-10-03T09:00:00+01:00", new ReferralReceived("R3"));
        w.Add("B2", "2022-10-04T09:01:00+01:00", new ReferralDecisionMade("R3", ReferralOutcome.Nfa));
        // B3: Fri 16:00 → Mon 09:00 meets the one-working-day rule but not CIN3's 24 hours.
        w.Add("B3", "2022-10-07T16:00:00+01:00", new ReferralReceived("R4"));
        w.Add("B3", "2022-10-10T09:00:00+01:00", new ReferralDecisionMade("R4", ReferralOutcome.Assessment));
        // B4: Sat 12:00 BST → Sun 11:30 GMT is 23½ hours on the wall clock but 24½ elapsed: not within.
        w.Add("B4", "2022-10-29T12:00:00+01:00", new ReferralReceived("R5"));
        w.Add("B4", "2022-10-30T11:30:00+00:00", new ReferralDecisionMade("R5", ReferralOutcome.StrategyDiscussion));
        // B6: a decision within the hour, retracted; the decision that stands is two days later: not within.
        w.Add("B6", "2022-10-11T10:00:00+01:00", new ReferralReceived("R8"));
        var quick = w.Add("B6", "2022-10-11T11:00:00+01:00", new ReferralDecisionMade("R8", ReferralOutcome.Assessment));
        w.Retract("B6", "2022-10-12T09:00:00+01:00", quick);
        w.Add("B6", "2022-10-13T10:00:00+01:00", new ReferralDecisionMade("R8", ReferralOutcome.Assessment));
        // Re-referrals. C1: previous referral exactly 12 months before (20 Oct 2021): counts. C2: 12 months and a day: not.
        w.Add("C1", "2021-10-20", new ReferralReceived("R9"));
        w.Add("C1", "2022-10-20T10:00:00+01:00", new ReferralReceived("R10"));
        w.Add("C2", "2021-10-19", new ReferralReceived("R11"));
        w.Add("C2", "2022-10-20T10:00:00+01:00", new ReferralReceived("R12"));
        // C3: across the year boundary (December 2021 → October 2022): counts. C4: the earlier referral was retracted: not.
        w.Add("C3", "2021-12-15", new ReferralReceived("R13"));
        w.Add("C3", "2022-10-05", new ReferralReceived("R14"));
        var retracted = w.Add("C4", "2022-03-01", new ReferralReceived("R15"));
        w.Retract("C4", "2022-03-02", retracted);
        w.Add("C4", "2022-10-12", new ReferralReceived("R16"));
    }

    private static void Assessments(ScorecardWorld w)
    {
        // Mon 1 Aug 2022 + 45 WD = Wed 5 Oct (29 Aug and 19 Sep are bank holidays). Thu 1 Sep + 45 WD = Fri 4 Nov.
        w.Add("D1", "2022-08-01", new AssessmentStarted("AS1"));
        w.Add("D1", "2022-10-05", new AssessmentAuthorised("AS1", AssessmentOutcome.Services)); // met, 45 WD
        w.Add("D2", "2022-08-01", new AssessmentStarted("AS2"));
        w.Add("D2", "2022-10-06", new AssessmentAuthorised("AS2", AssessmentOutcome.Nfa)); // late, 46 WD
        w.Add("D3", "2022-10-20", new AssessmentAuthorised("AS3", AssessmentOutcome.Nfa)); // no start: CIN5 only
        w.Add("D4", "2022-09-01", new AssessmentStarted("AS4"));
        w.Add("D4", "2022-10-31T17:00:00+00:00", new AssessmentAuthorised("AS4", AssessmentOutcome.Services)); // met, 41 WD
        // Authorised with its outcome unknown (Annex A often leaves it blank): timely for CIN8, in neither part of CIN5.
        w.Add("D5", "2022-09-01", new AssessmentStarted("AS5"));
        w.Add("D5", "2022-10-10", new AssessmentAuthorised("AS5")); // met, 26 WD (19 Sep not counted)
    }

    private static void StrategyAndSection47(ScorecardWorld w)
    {
        w.Add("E1", "2022-10-05T10:00:00+01:00", new StrategyDiscussionHeld("S1", StrategyOutcome.S47));
        w.Add("E2", "2022-10-12T10:00:00+01:00", new StrategyDiscussionHeld("S2", StrategyOutcome.Nfa));
        w.Add("E3", "2022-10-20T10:00:00+01:00", new StrategyDiscussionHeld("S3", StrategyOutcome.Assessment));
        w.Add("E4", "2022-09-30T23:30:00+01:00", new StrategyDiscussionHeld("S4", StrategyOutcome.S47)); // September's
        w.Add("E5", "2022-10-01T00:15:00+01:00", new StrategyDiscussionHeld("S5", StrategyOutcome.S47)); // October's

        // F1: Thu 15 Sep + 15 WD = Fri 7 Oct (State Funeral skipped): met. Completed by the conference; a plan made.
        w.Add("F1", "2022-09-15", new Section47Started("P1"));
        w.Add("F1", "2022-10-07", new InitialChildProtectionConferenceHeld("P1", "PL1", new Attendance(true, true, false)));
        // F2: conference Mon 10 Oct: 16 WD, late. Completed 3 Oct saying a conference is needed.
        w.Add("F2", "2022-09-15", new Section47Started("P2"));
        w.Add("F2", "2022-10-03", new Section47Completed("P2", IcpcRequired: true));
        w.Add("F2", "2022-10-10", new InitialChildProtectionConferenceHeld("P2", null, new Attendance(false, null, true)));
        // F3: completed with no conference needed.
        w.Add("F3", "2022-10-03", new Section47Started("P3"));
        w.Add("F3", "2022-10-14", new Section47Completed("P3", IcpcRequired: false));
        // F4: completed in September; its conference on 4 Oct is 22 WD after the start: late. No attendance recorded.
        w.Add("F4", "2022-09-01", new Section47Started("P4"));
        w.Add("F4", "2022-09-20", new Section47Completed("P4", IcpcRequired: true));
        w.Add("F4", "2022-10-04", new InitialChildProtectionConferenceHeld("P4"));
        // F5: a conference whose S47 start is not recorded: held and completing, but not timed.
        w.Add("F5", "2022-10-18", new InitialChildProtectionConferenceHeld("P5", null, new Attendance(true, true, true)));
        // Earlier in the year, for SG5: May (13 WD, met) in this financial year; March (late) in the last one.
        w.Add("F6", "2022-05-03", new Section47Started("P6"));
        w.Add("F6", "2022-05-20", new InitialChildProtectionConferenceHeld("P6"));
        w.Add("F7", "2022-03-01", new Section47Started("P7"));
        w.Add("F7", "2022-03-31", new InitialChildProtectionConferenceHeld("P7"));
    }

    private static void Reviews(ScorecardWorld w)
    {
        // G1: plan made 10 Jul, first review due 10 Oct, held then: met. G2: 5 Jul → due 5 Oct, held 6 Oct: late.
        w.Add("G1", "2022-07-10", new InitialChildProtectionConferenceHeld("Q1", "PL2"));
        w.Add("G1", "2022-10-10", new ChildProtectionReviewHeld("PL2"));
        w.Add("G2", "2022-07-05", new InitialChildProtectionConferenceHeld("Q2", "PL3"));
        w.Add("G2", "2022-10-06", new ChildProtectionReviewHeld("PL3"));
        // G3: 31 Jan + 3 months = 30 Apr: met (April, in the year to date); then + 6 months = 30 Oct, held 31 Oct: late.
        w.Add("G3", "2022-01-31", new InitialChildProtectionConferenceHeld("Q3", "PL4"));
        w.Add("G3", "2022-04-30", new ChildProtectionReviewHeld("PL4"));
        w.Add("G3", "2022-10-31", new ChildProtectionReviewHeld("PL4"));

        // H1: looked after 1 Sep; + 20 WD = 30 Sep; reviewed 29 Sep: met.
        w.Add("H1", "2022-09-01", new BecameLookedAfter("LA1"));
        w.Add("H1", "2022-09-29", new LookedAfterReviewHeld("LA1"));
        // H2: 1 Jun + 20 WD = 1 Jul (Jubilee 2–3 Jun skipped): met; then + 3 months = 1 Oct, held 3 Oct: late.
        w.Add("H2", "2022-06-01", new BecameLookedAfter("LA2"));
        w.Add("H2", "2022-07-01", new LookedAfterReviewHeld("LA2"));
        w.Add("H2", "2022-10-03", new LookedAfterReviewHeld("LA2"));
        // H3: fourth review on 1 May 2022 = 1 Nov 2021 + 6 months: met; the first three are before April.
        w.Add("H3", "2021-01-10", new BecameLookedAfter("LA3"));
        w.Add("H3", "2021-02-01", new LookedAfterReviewHeld("LA3"));
        w.Add("H3", "2021-05-01", new LookedAfterReviewHeld("LA3"));
        w.Add("H3", "2021-11-01", new LookedAfterReviewHeld("LA3"));
        w.Add("H3", "2022-05-01", new LookedAfterReviewHeld("LA3"));

        // Child in need plans (CIN17: 3 months from the plan's start, then 3 months from each review).
        // J1: plan 12 Jul, first review due 12 Oct, held then: met. J2: 5 Jul → due 5 Oct, held 6 Oct: late.
        w.Add("J1", "2022-07-12", new ChildInNeedPlanStarted("CP1"));
        w.Add("J1", "2022-10-12", new ChildInNeedReviewHeld("CP1"));
        w.Add("J2", "2022-07-05", new ChildInNeedPlanStarted("CP2"));
        w.Add("J2", "2022-10-06", new ChildInNeedReviewHeld("CP2"));
        // J3: plan 1 Dec 2021, reviewed 1 Mar 2022 (met, but last financial year: not in the year to date), ended 20 Apr.
        w.Add("J3", "2021-12-01", new ChildInNeedPlanStarted("CP3"));
        w.Add("J3", "2022-03-01", new ChildInNeedReviewHeld("CP3"));
        w.Add("J3", "2022-04-20", new ChildInNeedPlanEnded("CP3"));
        // J4: plan 1 Aug, a review on 3 Oct recorded in error and retracted: it counts nowhere.
        w.Add("J4", "2022-08-01", new ChildInNeedPlanStarted("CP4"));
        w.Retract("J4", "2022-10-04", w.Add("J4", "2022-10-03", new ChildInNeedReviewHeld("CP4")));
        // J5: plan 31 May + 3 months = 31 Aug, reviewed that day: met (August, in the year to date).
        w.Add("J5", "2022-05-31", new ChildInNeedPlanStarted("CP5"));
        w.Add("J5", "2022-08-31", new ChildInNeedReviewHeld("CP5"));
    }

    private static void Missing(ScorecardWorld w)
    {
        // M1: back Fri 28 Oct 10:00 BST; interview Mon 31 Oct 09:30 GMT: under 72 hours on the wall clock, 72½ elapsed: late.
        w.Add("M1", "2022-10-28T10:00:00+01:00", new ChildReturned("MS1"));
        w.Add("M1", "2022-10-28T12:00:00+01:00", new ReturnInterviewOffered("MS1"));
        w.Add("M1", "2022-10-31T09:30:00+00:00", new ReturnInterviewCompleted("MS1"));
        // M2: exactly 72 hours: met.
        w.Add("M2", "2022-10-10T09:00:00+01:00", new ChildReturned("MS2"));
        w.Add("M2", "2022-10-10T09:30:00+01:00", new ReturnInterviewOffered("MS2"));
        w.Add("M2", "2022-10-13T09:00:00+01:00", new ReturnInterviewCompleted("MS2"));
        // M3: offered and declined: offered only. M4: offered in September.
        w.Add("M3", "2022-10-17T09:00:00+01:00", new ChildReturned("MS3"));
        w.Add("M3", "2022-10-17", new ReturnInterviewOffered("MS3"));
        w.Add("M3", "2022-10-18", new ReturnInterviewDeclined("MS3"));
        w.Add("M4", "2022-09-30", new ReturnInterviewOffered("MS4"));
    }
}
