using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

public class ClockFoldTests
{
    private static readonly Instant Later = At("2030-01-01T00:00");

    private static Pathway Fold(Instant at, params PathwayEvent[] events) => Fold(Rulebook.Default, at, events);

    private static Pathway Fold(Rulebook book, Instant at, params PathwayEvent[] events) =>
        ClockFold.Fold(events, book, TestCalendar.EnglandAndWales, at);

    private static Clock Only(Pathway p, string rule) => p.Clocks.Single(c => c.Rule == rule);

    // Each rule: its start, its stop and (where it has one) its cancel, with the episode they share.
    public static TheoryData<string, string, IPathwayEventData, IPathwayEventData, IPathwayEventData?> EveryRule => new()
    {
        { "mash-screening", "K1", new ContactReceived("K1", ContactRoute.Mash), new ContactScreened("K1", ScreeningOutcome.Referral), null },
        { "ehap-screening", "K1", new ContactReceived("K1", ContactRoute.Ehap), new ContactScreened("K1", ScreeningOutcome.EarlyHelp), null },
        { "referral-decision", "R1", new ReferralReceived("R1"), new ReferralDecisionMade("R1", ReferralOutcome.Assessment), null },
        { "strategy-discussion", "SD1", new StrategyDiscussionRequested("SD1"), new StrategyDiscussionHeld("SD1", StrategyOutcome.S47), null },
        { "assessment-duration", "A1", new AssessmentStarted("A1"), new AssessmentAuthorised("A1", AssessmentOutcome.Services), null },
        { "icpc", "S1", new Section47Started("S1"), new InitialChildProtectionConferenceHeld("S1"), new Section47Completed("S1", IcpcRequired: false) },
        { "core-group", "P1", new InitialChildProtectionConferenceHeld("S1", "P1"), new CoreGroupHeld("P1"), new ChildProtectionPlanEnded("P1") },
        { "cp-review", "P1#1", new InitialChildProtectionConferenceHeld("S1", "P1"), new ChildProtectionReviewHeld("P1"), new ChildProtectionPlanEnded("P1") },
        { "cin-review", "CP1#1", new ChildInNeedPlanStarted("CP1"), new ChildInNeedReviewHeld("CP1"), new ChildInNeedPlanEnded("CP1") },
        { "return-interview", "M1", new ChildReturned("M1"), new ReturnInterviewCompleted("M1"), new ReturnInterviewDeclined("M1") },
        { "cla-review", "LA1#1", new BecameLookedAfter("LA1"), new LookedAfterReviewHeld("LA1"), new CeasedLookedAfter("LA1") },
        { "early-help-assessment", "EH1", new EarlyHelpConsentGiven("EH1"), new EarlyHelpAssessmentCompleted("EH1"), null },
        { "assessment", "R1", new ReferralReceived("R1"), new AssessmentAuthorised("A1", AssessmentOutcome.Nfa), new CaseClosed("R1") },
    };

    // The assessment rule's stop names the assessment; AssessmentStarted links it to the referral.
    private static readonly PathwayEvent AssessmentLink = E("2022-10-04", new AssessmentStarted("A1", "R1"));

    [Theory, MemberData(nameof(EveryRule))]
    public void Every_rule_starts_and_runs(string rule, string episode, IPathwayEventData start, IPathwayEventData stop, IPathwayEventData? cancel)
    {
        _ = (stop, cancel);
        var clock = Only(Fold(At("2022-10-03T12:00"), E("2022-10-03T09:00", start)), rule);
        clock.Episode.ShouldBe(episode);
        clock.Status.ShouldBe(ClockStatus.Running);
        clock.Stopped.ShouldBeNull();
    }

    [Theory, MemberData(nameof(EveryRule))]
    public void Every_rule_stops(string rule, string episode, IPathwayEventData start, IPathwayEventData stop, IPathwayEventData? cancel)
    {
        _ = cancel;
        var stopEvent = E("2022-10-05T09:00", stop);
        var clock = Fold(Later, E("2022-10-03T09:00", start), AssessmentLink, stopEvent).Clocks.First(c => c.Rule == rule);
        clock.Episode.ShouldBe(episode);
        clock.StopEventId.ShouldBe(stopEvent.Id);
        clock.StopEventType.ShouldBe(stopEvent.Type);
        clock.Status.ShouldBeOneOf(ClockStatus.Met, ClockStatus.Late);
    }

    [Theory, MemberData(nameof(EveryRule))]
    public void Every_rule_with_a_cancel_is_cancelled_and_keeps_its_due(string rule, string episode, IPathwayEventData start, IPathwayEventData stop, IPathwayEventData? cancel)
    {
        _ = stop;
        if (cancel is null) return;
        var clock = Fold(Later, E("2022-10-03T09:00", start), E("2022-10-04T09:00", cancel)).Clocks.Single(c => c.Rule == rule);
        clock.Episode.ShouldBe(episode);
        clock.Status.ShouldBe(ClockStatus.Cancelled);
        clock.Cancelled.ShouldBe(Occ("2022-10-04T09:00"));
        clock.Due.ShouldBe(TestCalendar.EnglandAndWales.Due(Occ("2022-10-03T09:00"), clock.Limit));
    }

    [Fact]
    public void A_referral_decided_nfa_cancels_the_assessment_clock_but_not_one_for_assessment()
    {
        var nfa = Fold(Later, E("2022-10-03", new ReferralReceived("R1")), E("2022-10-04", new ReferralDecisionMade("R1", ReferralOutcome.Nfa)));
        Only(nfa, "assessment").Status.ShouldBe(ClockStatus.Cancelled);
        var assess = Fold(Later, E("2022-10-03", new ReferralReceived("R1")), E("2022-10-04", new ReferralDecisionMade("R1", ReferralOutcome.Assessment)));
        Only(assess, "assessment").Status.ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public void A_completed_s47_needing_a_conference_does_not_cancel_the_icpc_clock() =>
        Only(Fold(At("2022-09-20T12:00"), E("2022-09-15", new Section47Started("S1")), E("2022-09-16", new Section47Completed("S1", true))), "icpc")
            .Status.ShouldBe(ClockStatus.Running);

    [Theory]
    [InlineData("icpc", "2022-09-15", "2022-10-07")] // Mon 19 Sep, the State Funeral, skipped
    [InlineData("referral-decision", "2023-04-28", "2023-05-02")] // Mon 1 May bank holiday
    [InlineData("core-group", "2022-05-27", "2022-06-14")] // 2–3 Jun Jubilee skipped
    [InlineData("cla-review", "2023-05-05", "2023-06-06")] // coronation 8 May and 29 May skipped
    public void Worked_examples_of_timescales_md(string rule, string start, string due)
    {
        IPathwayEventData data = rule switch
        {
            "icpc" => new Section47Started("S1"),
            "referral-decision" => new ReferralReceived("R1"),
            "core-group" => new InitialChildProtectionConferenceHeld("S1", "P1"),
            _ => new BecameLookedAfter("LA1"),
        };
        Only(Fold(Later, E(start, data)), rule).Due.Date.ShouldBe(D(due));
    }

    [Fact]
    public void Explanations_name_the_skipped_holidays_and_the_outcome()
    {
        var clock = Only(Fold(Later, E("2022-09-15", new Section47Started("S1")), E("2022-10-10", new InitialChildProtectionConferenceHeld("S1"))), "icpc");
        clock.Status.ShouldBe(ClockStatus.Late);
        clock.Explanation.ShouldContain("19 Sep");
        clock.Explanation.ShouldContain("15 working days");
        clock.Explanation.ShouldContain("Stopped Mon 10 Oct 2022 by “Initial child protection conference held”: 1 working day late");
    }

    [Fact]
    public void Two_open_referrals_of_one_child_are_two_clocks()
    {
        var p = Fold(At("2022-10-05T12:00"),
            E("2022-10-03T09:00", new ReferralReceived("R1")),
            E("2022-10-05T09:00", new ReferralReceived("R2")),
            E("2022-10-04T10:00", new ReferralDecisionMade("R1", ReferralOutcome.Nfa)));
        var clocks = p.Clocks.Where(c => c.Rule == "referral-decision").OrderBy(c => c.Episode).ToList();
        clocks.Select(c => (c.Episode, c.Status)).ShouldBe([("R1", ClockStatus.Met), ("R2", ClockStatus.Running)]);
    }

    [Fact]
    public void Order_of_arrival_does_not_matter()
    {
        PathwayEvent[] events =
        [
            E("2022-09-15T10:00", new Section47Started("S1")),
            E("2022-09-15T10:00", new StrategyDiscussionRequested("SD1")),
            E("2022-09-15", new StrategyDiscussionHeld("SD1", StrategyOutcome.S47)),
            E("2022-10-10", new InitialChildProtectionConferenceHeld("S1", "P1")),
            E("2022-10-10", new CoreGroupHeld("P1")),
            E("2023-01-09", new ChildProtectionReviewHeld("P1")),
            E("2022-09-01", new CaseAllocated("Team A", "w1")),
            E("2022-09-20", new CaseAllocated("Team B", "w2")),
            E("2022-09-14", new ReferralReceived("R1")),
            E("2022-09-14", new ReferralReceived("R1")),
        ];
        var expected = Fold(Later, events);
        expected.Clocks.Count.ShouldBe(7);
        var random = new Random(20220915);
        for (var i = 0; i < 30; i++)
        {
            var shuffled = events.OrderBy(_ => random.Next()).ToArray();
            var p = Fold(Later, shuffled);
            p.Clocks.OrderBy(c => (c.Rule, c.Episode)).ShouldBe(expected.Clocks.OrderBy(c => (c.Rule, c.Episode)));
            p.Allocation.ShouldBe(expected.Allocation);
        }
        expected.Allocation!.Team.ShouldBe("Team B");
    }

    [Fact]
    public void A_repeated_start_keeps_the_earliest()
    {
        var first = E("2022-09-15", new Section47Started("S1"));
        var clock = Only(Fold(Later, E("2022-09-20", new Section47Started("S1")), first), "icpc");
        clock.StartEventId.ShouldBe(first.Id);
        clock.Due.Date.ShouldBe(D("2022-10-07"));
    }

    [Fact]
    public void A_stop_without_a_start_is_ignored() =>
        Fold(Later, E("2022-10-07", new InitialChildProtectionConferenceHeld("S9"))).Clocks.ShouldNotContain(c => c.Rule == "icpc");

    [Fact]
    public void A_screening_recorded_by_date_stops_a_contact_received_later_that_day()
    {
        var clock = Only(Fold(Later, E("2022-10-03T15:00", new ContactReceived("K1", ContactRoute.Ehap)), E("2022-10-03", new ContactScreened("K1", ScreeningOutcome.Nfa))), "ehap-screening");
        clock.Status.ShouldBe(ClockStatus.Met);
        clock.Elapsed.ShouldBe(0m);
    }

    [Fact]
    public void Retracting_the_start_removes_the_clock_wherever_the_retraction_sits()
    {
        var start = E("2022-09-15", new Section47Started("S1"));
        var retraction = Retract("2022-09-16", start);
        Fold(Later, retraction, start).Clocks.ShouldNotContain(c => c.Rule == "icpc");
        Fold(Later, start, retraction).Clocks.ShouldNotContain(c => c.Rule == "icpc");
        // a retraction recorded after the evaluation instant still un-says the event (the caller filters knowledge time)
        Fold(At("2022-09-15T12:00"), start, Retract("2022-12-01", start)).Clocks.ShouldNotContain(c => c.Rule == "icpc");
    }

    [Fact]
    public void Retracting_a_retraction_brings_the_event_back()
    {
        var start = E("2022-09-15", new Section47Started("S1"));
        var retraction = Retract("2022-09-16", start);
        Only(Fold(Later, start, retraction, Retract("2022-09-17", retraction)), "icpc").StartEventId.ShouldBe(start.Id);
    }

    [Fact]
    public void The_explanation_reads_as_sentences_a_manager_can_check()
    {
        var late = Only(Fold(Later, E("2022-09-15", new Section47Started("S1")), E("2022-10-10", new InitialChildProtectionConferenceHeld("S1"))), "icpc");
        late.Explanation.ShouldBe(
            "Started by “Section 47 enquiry started”. " +
            "15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (Bank holiday: State Funeral of Queen Elizabeth II): " +
            "due Fri 7 Oct 2022. Stopped Mon 10 Oct 2022 by “Initial child protection conference held”: 1 working day late.");
        late.DueExplanation.ShouldBe(
            "Started by “Section 47 enquiry started”. " +
            "15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (Bank holiday: State Funeral of Queen Elizabeth II): due Fri 7 Oct 2022.");
        var open = Only(Fold(At("2022-10-11T09:00"), E("2022-09-15", new Section47Started("S1"))), "icpc");
        open.Explanation.ShouldEndWith("due Fri 7 Oct 2022. Still open at Tue 11 Oct 2022: breached, 2 working days overdue.");
        var met = Only(Fold(Later, E("2022-09-15", new Section47Started("S1")), E("2022-10-05", new InitialChildProtectionConferenceHeld("S1"))), "icpc");
        met.Explanation.ShouldEndWith("Stopped Wed 5 Oct 2022 by “Initial child protection conference held”: met, 2 working days to spare.");
    }

    [Fact]
    public void Explanations_name_events_in_the_timelines_words()
    {
        var cancelled = Only(Fold(Later, E("2022-09-15", new Section47Started("S1")), E("2022-09-20", new Section47Completed("S1", false))), "icpc");
        cancelled.Explanation.ShouldContain("Cancelled Tue 20 Sep 2022 by “Section 47 enquiry completed”");
        var mash = Only(Fold(Later, E("2024-03-11T09:00", new ContactReceived("K1", ContactRoute.Mash)), E("2024-03-11T13:15", new ContactScreened("K1", ScreeningOutcome.Referral))), "mash-screening");
        mash.Explanation.ShouldStartWith("Started by “Contact received”. 72 working hours from Mon 11 Mar 2024 09:00");
        mash.Explanation.ShouldContain("Stopped Mon 11 Mar 2024 13:15 by “Contact screened”");
        foreach (var type in EventTypes.Names) TimelineWording.Kind(type).ShouldNotBe(type, $"{type} has words of its own");
    }

    [Theory, MemberData(nameof(EveryRule))]
    public void No_explanation_names_an_event_by_its_type(string rule, string episode, IPathwayEventData start, IPathwayEventData stop, IPathwayEventData? cancel)
    {
        _ = episode;
        var stopped = Fold(Later, E("2022-10-03T09:00", start), AssessmentLink, E("2022-10-05T09:00", stop)).Clocks.First(c => c.Rule == rule);
        var open = Fold(Later, E("2022-10-03T09:00", start)).Clocks.First(c => c.Rule == rule);
        var texts = new List<string> { stopped.Explanation, open.Explanation, open.DueExplanation };
        if (cancel is not null) texts.Add(Fold(Later, E("2022-10-03T09:00", start), E("2022-10-04T09:00", cancel)).Clocks.Single(c => c.Rule == rule).Explanation);
        foreach (var text in texts)
        {
            text.ShouldStartWith($"Started by “{TimelineWording.Kind(EventTypes.NameOf(start))}”.");
            foreach (var type in EventTypes.Names) text.ShouldNotContain(type);
        }
    }

    [Fact]
    public void A_cin_census_child_protection_review_is_measurable_but_a_strategy_discussion_is_not()
    {
        var p = Fold(Later,
            E("2022-09-15", new StrategyDiscussionRequested("SD1"), source: "cin-census"),
            E("2022-09-15", new InitialChildProtectionConferenceHeld("S1", "P1"), source: "cin-census"));
        Only(p, "strategy-discussion").Status.ShouldBe(ClockStatus.NotMeasurable);
        p.Clocks.Single(c => c.Episode == "P1#1").Status.ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public void Retracting_the_stop_reopens_the_clock()
    {
        var stop = E("2022-10-05", new InitialChildProtectionConferenceHeld("S1"));
        var clock = Only(Fold(At("2022-10-10T12:00"), E("2022-09-15", new Section47Started("S1")), stop, Retract("2022-10-06", stop)), "icpc");
        clock.Stopped.ShouldBeNull();
        clock.Status.ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public void Events_occurring_after_the_evaluation_instant_are_ignored()
    {
        var p = Fold(At("2022-10-04T12:00"), E("2022-09-15", new Section47Started("S1")), E("2022-10-05", new InitialChildProtectionConferenceHeld("S1")), E("2022-10-05", new Section47Started("S2")));
        p.Clocks.Where(c => c.Rule == "icpc").Select(c => (c.Episode, c.Status)).ShouldBe([("S1", ClockStatus.Running)]);
    }

    [Fact]
    public void Cp_reviews_chain_from_the_icpc_then_each_review()
    {
        var p = Fold(At("2023-12-01T12:00"),
            E("2023-01-31", new InitialChildProtectionConferenceHeld("S1", "P1")),
            E("2023-04-28", new ChildProtectionReviewHeld("P1")),
            E("2023-11-01", new ChildProtectionReviewHeld("P1")));
        var reviews = p.Clocks.Where(c => c.Rule == "cp-review").OrderBy(c => c.Episode).ToList();
        reviews.Select(c => (c.Episode, c.Started.Date, c.Due.Date, c.Limit.Amount, c.Status)).ShouldBe(
        [
            ("P1#1", D("2023-01-31"), D("2023-04-30"), 3, ClockStatus.Met), // 31 Jan + 3 months
            ("P1#2", D("2023-04-28"), D("2023-10-28"), 6, ClockStatus.Late),
            ("P1#3", D("2023-11-01"), D("2024-05-01"), 6, ClockStatus.Running),
        ]);
    }

    [Fact]
    public void Month_limits_end_on_the_last_day_of_a_shorter_month()
    {
        var book = Rulebook.WithOverrides("""{"rules": {"cp-review": {"limit": {"amount": 1, "unit": "calendar-months"}}}}""");
        var p = Fold(book, At("2024-02-01T12:00"),
            E("2023-01-31", new InitialChildProtectionConferenceHeld("S1", "P1")),
            E("2023-02-28", new ChildProtectionReviewHeld("P1")),
            E("2023-08-31", new ChildProtectionReviewHeld("P1")));
        p.Clocks.Where(c => c.Rule == "cp-review").OrderBy(c => c.Episode).Select(c => (c.Episode, c.Due.Date, c.Status)).ShouldBe(
        [
            ("P1#1", D("2023-02-28"), ClockStatus.Met),
            ("P1#2", D("2023-08-28"), ClockStatus.Late),
            ("P1#3", D("2024-02-29"), ClockStatus.Running),
        ]);
    }

    [Fact]
    public void Cla_reviews_chain_20_working_days_then_3_months_then_6_months_and_end_with_the_period()
    {
        var p = Fold(At("2024-06-01T12:00"),
            E("2023-05-05", new BecameLookedAfter("LA1")),
            E("2023-06-01", new LookedAfterReviewHeld("LA1")),
            E("2023-08-31", new LookedAfterReviewHeld("LA1")),
            E("2024-01-10", new CeasedLookedAfter("LA1")),
            E("2024-02-01", new LookedAfterReviewHeld("LA1")));
        p.Clocks.Where(c => c.Rule == "cla-review").OrderBy(c => c.Episode).Select(c => (c.Episode, c.Started.Date, c.Due.Date, c.Status)).ShouldBe(
        [
            ("LA1#1", D("2023-05-05"), D("2023-06-06"), ClockStatus.Met),
            ("LA1#2", D("2023-06-01"), D("2023-09-01"), ClockStatus.Met),
            ("LA1#3", D("2023-08-31"), D("2024-02-29"), ClockStatus.Cancelled),
        ]);
    }

    [Fact]
    public void Cin_reviews_chain_every_3_months_from_the_plan_start_then_each_review_and_end_with_the_plan()
    {
        var p = Fold(At("2024-06-01T12:00"),
            E("2023-01-31", new ChildInNeedPlanStarted("CP1")),
            E("2023-04-28", new ChildInNeedReviewHeld("CP1")),
            E("2023-08-01", new ChildInNeedReviewHeld("CP1")),
            E("2023-09-15", new ChildInNeedPlanEnded("CP1")),
            E("2023-10-02", new ChildInNeedReviewHeld("CP1")));
        p.Clocks.Where(c => c.Rule == "cin-review").OrderBy(c => c.Episode).Select(c => (c.Episode, c.Started.Date, c.Due.Date, c.Status)).ShouldBe(
        [
            ("CP1#1", D("2023-01-31"), D("2023-04-30"), ClockStatus.Met),       // 31 Jan + 3 months
            ("CP1#2", D("2023-04-28"), D("2023-07-28"), ClockStatus.Late),      // held 1 Aug
            ("CP1#3", D("2023-08-01"), D("2023-11-01"), ClockStatus.Cancelled), // the plan ended: no later review is due
        ]);
    }

    [Fact]
    public void Cin_review_chains_of_two_plans_are_separate_and_only_the_next_is_open()
    {
        var p = Fold(At("2023-06-01T12:00"),
            E("2023-01-10", new ChildInNeedPlanStarted("CP1")),
            E("2023-03-01", new ChildInNeedPlanStarted("CP2")),
            E("2023-04-05", new ChildInNeedReviewHeld("CP1")));
        p.Clocks.Where(c => c.Rule == "cin-review").OrderBy(c => c.Episode).Select(c => (c.Episode, c.Due.Date, c.Status)).ShouldBe(
        [
            ("CP1#1", D("2023-04-10"), ClockStatus.Met),
            ("CP1#2", D("2023-07-05"), ClockStatus.Running),
            ("CP2#1", D("2023-06-01"), ClockStatus.Running),
        ]);
    }

    [Fact]
    public void A_cin_census_plan_without_reviews_is_not_measurable_never_breached()
    {
        var clock = Only(Fold(At("2024-01-01T12:00"), E("2023-01-10", new ChildInNeedPlanStarted("CP1"), source: "cin-census")), "cin-review");
        clock.Status.ShouldBe(ClockStatus.NotMeasurable);
        clock.NotMeasurableReason!.ShouldContain("cin-census");
    }

    [Fact]
    public void Only_the_next_review_clock_is_open()
    {
        var p = Fold(At("2023-03-01T12:00"), E("2023-01-31", new InitialChildProtectionConferenceHeld("S1", "P1")));
        p.Clocks.Where(c => c.Rule == "cp-review").Select(c => c.Episode).ShouldBe(["P1#1"]);
    }

    [Theory]
    [InlineData("2024-03-30T10:00", "2024-04-02T11:00")] // spring forward: 72 real hours are 73 on the wall clock
    [InlineData("2024-10-26T10:00", "2024-10-29T09:00")] // fall back: 71 on the wall clock
    [InlineData("2023-06-07T10:00", "2023-06-10T10:00")]
    public void Return_interviews_are_due_72_elapsed_hours_after_the_return(string returned, string due)
    {
        var clock = Only(Fold(Later, E(returned, new ChildReturned("M1"))), "return-interview");
        clock.Due.DueInstant().ShouldBe(At(due));
        clock.OverdueFrom.ShouldBe(At(due) + Duration.FromTicks(10));
        var met = Only(Fold(Later, E(returned, new ChildReturned("M1")), E(due, new ReturnInterviewCompleted("M1"))), "return-interview");
        met.Status.ShouldBe(ClockStatus.Met);
        met.Elapsed.ShouldBe(72m);
    }

    [Theory]
    [InlineData("2022-09-15", ClockStatus.Met, 0)] // same day
    [InlineData("2022-10-07", ClockStatus.Met, 15)] // on the due date
    [InlineData("2022-10-10", ClockStatus.Late, 16)] // the next working day
    public void Stops_on_or_before_the_due_date_are_met(string stopped, ClockStatus status, int elapsed)
    {
        var clock = Only(Fold(Later, E("2022-09-15T10:00", new Section47Started("S1")), E(stopped, new InitialChildProtectionConferenceHeld("S1"))), "icpc");
        clock.Status.ShouldBe(status);
        clock.Elapsed.ShouldBe(elapsed);
    }

    [Fact]
    public void A_day_clock_is_breached_from_the_start_of_the_london_day_after_its_due_date()
    {
        var clock = Only(Fold(At("2022-10-07T23:59"), E("2022-09-15", new Section47Started("S1"))), "icpc");
        clock.OverdueFrom.ShouldBe(At("2022-10-08T00:00"));
        clock.Status.ShouldBe(ClockStatus.Running);
        clock.StatusAt(clock.OverdueFrom - Duration.FromSeconds(1)).ShouldBe(ClockStatus.Running);
        clock.StatusAt(clock.OverdueFrom + Duration.FromSeconds(1)).ShouldBe(ClockStatus.Breached);
        Only(Fold(At("2022-10-08T00:01"), E("2022-09-15", new Section47Started("S1"))), "icpc").Status.ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public void An_hour_clock_is_breached_after_its_due_instant()
    {
        // 72 working hours from Friday 14:30 is Wednesday 14:30
        var clock = Only(Fold(At("2022-10-07T15:00"), E("2022-10-07T14:30", new ContactReceived("K1", ContactRoute.Mash))), "mash-screening");
        clock.Due.LocalDateTime.ShouldBe(new LocalDateTime(2022, 10, 12, 14, 30));
        clock.OverdueFrom.ShouldBe(At("2022-10-12T14:30") + Duration.FromTicks(10));
        clock.StatusAt(At("2022-10-12T14:30")).ShouldBe(ClockStatus.Running); // a stop exactly at the due instant would still be met
        clock.StatusAt(clock.OverdueFrom).ShouldBe(ClockStatus.Breached);
        clock.StatusAt(clock.OverdueFrom - Duration.FromSeconds(1)).ShouldBe(ClockStatus.Running);
        clock.StatusAt(clock.OverdueFrom + Duration.FromSeconds(1)).ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public void An_annex_a_referral_with_no_decision_is_not_measurable_never_breached()
    {
        var clock = Only(Fold(Later, E("2022-10-03", new ReferralReceived("R1"), source: "annex-a")), "referral-decision");
        clock.NotMeasurable.ShouldBeTrue();
        clock.Status.ShouldBe(ClockStatus.NotMeasurable);
        clock.NotMeasurableReason!.ShouldContain("annex-a");
        clock.Explanation.ShouldContain("Not measurable");
        // Annex A cannot link an assessment to its referral (rulebook: cannotLink), so the referral's
        // assessment clock is not measurable from it either; a live source's referral is breached.
        Only(Fold(Later, E("2022-10-03", new ReferralReceived("R1"), source: "annex-a")), "assessment").Status.ShouldBe(ClockStatus.NotMeasurable);
        Only(Fold(Later, E("2022-10-03", new ReferralReceived("R1"), source: "lcs")), "assessment").Status.ShouldBe(ClockStatus.Breached);
    }

    [Theory]
    [InlineData("2022-10-04", ClockStatus.Met)]
    [InlineData("2022-10-05", ClockStatus.Late)]
    public void An_annex_a_referral_with_a_decision_seen_is_measured(string decided, ClockStatus status)
    {
        var clock = Only(Fold(Later, E("2022-10-03", new ReferralReceived("R1"), source: "annex-a"), E(decided, new ReferralDecisionMade("R1", ReferralOutcome.Nfa), source: "lcs")), "referral-decision");
        clock.NotMeasurable.ShouldBeFalse();
        clock.Status.ShouldBe(status);
    }

    [Fact]
    public void A_tenant_override_of_24_elapsed_hours_changes_due_and_status()
    {
        PathwayEvent[] events = [E("2023-04-28T10:00", new ReferralReceived("R1")), E("2023-04-29T11:00", new ReferralDecisionMade("R1", ReferralOutcome.Assessment))];
        var national = Only(Fold(Later, events), "referral-decision");
        national.Due.Date.ShouldBe(D("2023-05-02"));
        national.Status.ShouldBe(ClockStatus.Met);

        var book = Rulebook.WithOverrides("""{"rules": {"referral-decision": {"limit": {"amount": 24, "unit": "elapsed-hours"}}}}""");
        var local = Only(Fold(book, Later, events), "referral-decision");
        local.Unit.ShouldBe(TimeUnit.ElapsedHours);
        local.Due.DueInstant().ShouldBe(At("2023-04-29T10:00"));
        local.Status.ShouldBe(ClockStatus.Late);
        local.Elapsed.ShouldBe(25m);
    }

    [Fact]
    public void A_disabled_rule_has_no_clocks()
    {
        var book = Rulebook.WithOverrides("""{"rules": {"icpc": {"enabled": false}}}""");
        Fold(book, Later, E("2022-09-15", new Section47Started("S1"))).Clocks.ShouldBeEmpty();
    }

    [Fact]
    public void The_assessment_clock_is_stopped_through_the_assessment_that_answers_the_referral()
    {
        var p = Fold(Later,
            E("2022-09-01", new ReferralReceived("R1")),
            E("2022-09-02", new AssessmentStarted("A7", "R1")),
            E("2022-10-20", new AssessmentAuthorised("A7", AssessmentOutcome.Services)));
        Only(p, "assessment").ShouldSatisfyAllConditions(
            c => c.Episode.ShouldBe("R1"),
            c => c.Stopped.ShouldBe(Occ("2022-10-20")),
            c => c.Status.ShouldBe(ClockStatus.Met));
        Only(p, "assessment-duration").Episode.ShouldBe("A7");
    }

    [Fact]
    public void The_allocation_is_the_latest_by_occurrence()
    {
        var p = Fold(Later, E("2022-09-20", new CaseAllocated("Team B", "w2")), E("2022-09-01", new CaseAllocated("Team A", "w1")));
        p.Allocation!.ShouldSatisfyAllConditions(a => a.Team.ShouldBe("Team B"), a => a.Worker.ShouldBe("w2"));
        p.Tenant.ShouldBe("357");
        p.Child.ShouldBe("C1");
    }

    [Theory]
    [InlineData(ClockStatus.Running, "running")]
    [InlineData(ClockStatus.Breached, "breached")]
    [InlineData(ClockStatus.Met, "met")]
    [InlineData(ClockStatus.Late, "late")]
    [InlineData(ClockStatus.Cancelled, "cancelled")]
    [InlineData(ClockStatus.NotMeasurable, "not-measurable")]
    public void Statuses_have_the_contract_wire_names(ClockStatus status, string name)
    {
        status.Name().ShouldBe(name);
        ClockStatusNames.Parse(name).ShouldBe(status);
    }
}
