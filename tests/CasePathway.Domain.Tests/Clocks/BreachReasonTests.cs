using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

public class BreachReasonTests
{
    // icpc: S47 started 2022-09-15, due 2022-10-07 (15 working days), breached from 2022-10-08.
    private static readonly PathwayEvent S47 = E("2022-09-15", new Section47Started("S1"));

    private static readonly TenantContext Council = TenantContext.Of(new TenantSettings("357"));

    private static IReadOnlyList<FieldError> Check(PathwayEvent incoming, TenantContext? context = null, params PathwayEvent[] existing) =>
        PathwayValidation.Check(existing, incoming, context ?? Council);

    private static PathwayEvent Reason(string when, string reason, string? note = null, string rule = "icpc", string episode = "S1") =>
        E(when, new BreachReasonRecorded(rule, episode, reason, note));

    private static PathwayEvent Recorded(PathwayEvent e, string recordedAt) => e with { RecordedAt = At(recordedAt) };

    [Fact]
    public void A_reason_for_a_breached_clock_from_the_default_list_is_accepted()
    {
        Check(Reason("2022-10-10T10:00", "awaiting-partner", "police could not attend"), null, S47).ShouldBeEmpty();
        Check(Reason("2022-10-10T10:00", "staffing"), null, S47).ShouldBeEmpty();
    }

    [Fact]
    public void A_reason_for_a_clock_still_running_is_accepted_because_a_manager_may_see_the_breach_coming()
    {
        Check(Reason("2022-10-03T10:00", "family-unavailable", "family abroad until the 12th"), null, S47).ShouldBeEmpty();
    }

    [Fact]
    public void A_reason_for_a_clock_stopped_late_is_accepted()
    {
        var late = E("2022-10-12", new InitialChildProtectionConferenceHeld("S1"));
        Check(Reason("2022-10-13T09:00", "recording-delay"), null, S47, late).ShouldBeEmpty();
    }

    [Fact]
    public void A_reason_for_a_met_or_cancelled_clock_is_refused_naming_the_episode()
    {
        var met = E("2022-10-05", new InitialChildProtectionConferenceHeld("S1"));
        var error = Check(Reason("2022-10-10T10:00", "staffing"), null, S47, met).ShouldHaveSingleItem();
        error.Field.ShouldBe("data.episode");
        error.Message.ShouldContain("was met");

        var cancelled = E("2022-09-20", new Section47Completed("S1", false));
        var refused = Check(Reason("2022-10-10T10:00", "staffing"), null, S47, cancelled).ShouldHaveSingleItem();
        refused.Field.ShouldBe("data.episode");
        refused.Message.ShouldContain("cancelled");
    }

    [Fact]
    public void An_unknown_rule_episode_or_code_is_refused_naming_the_field()
    {
        var rule = Check(Reason("2022-10-10T10:00", "staffing", rule: "icpc-typo"), null, S47).ShouldHaveSingleItem();
        rule.Field.ShouldBe("data.rule");
        rule.Message.ShouldContain("'icpc-typo' is not a rule");

        var episode = Check(Reason("2022-10-10T10:00", "staffing", episode: "S9"), null, S47).ShouldHaveSingleItem();
        episode.Field.ShouldBe("data.episode");
        episode.Message.ShouldContain("no icpc clock for episode 'S9'");
        episode.Message.ShouldContain("S1");

        var code = Check(Reason("2022-10-10T10:00", "sickness"), null, S47).ShouldHaveSingleItem();
        code.Field.ShouldBe("data.reason");
        code.Message.ShouldContain("'sickness' is not one of council 357's reasons");
        code.Message.ShouldContain("staffing, awaiting-partner, family-unavailable, recording-delay, other");

        // a clock that had not started when the reason was given
        Check(Reason("2022-09-14T10:00", "staffing"), null, S47).ShouldHaveSingleItem().Field.ShouldBe("data.episode");
        // blank fields are required
        Check(Reason("2022-10-10T10:00", " "), null, S47).ShouldContain(e => e.Field == "data.reason");
    }

    [Fact]
    public void Other_needs_a_note()
    {
        var error = Check(Reason("2022-10-10T10:00", "other"), null, S47).ShouldHaveSingleItem();
        error.Field.ShouldBe("data.note");
        Check(Reason("2022-10-10T10:00", "other", "the conference room flooded"), null, S47).ShouldBeEmpty();
    }

    [Fact]
    public void A_council_s_own_list_replaces_the_default()
    {
        var (list, problem) = BreachReasonList.Of([new("court", "Waiting for the court"), new("misc", "Something else", NoteRequired: true)]);
        problem.ShouldBeNull();
        var own = TenantContext.Of(new TenantSettings("357", BreachReasons: list));
        Check(Reason("2022-10-10T10:00", "court"), own, S47).ShouldBeEmpty();
        Check(Reason("2022-10-10T10:00", "staffing"), own, S47).ShouldHaveSingleItem().Message.ShouldContain("(court, misc)");
        Check(Reason("2022-10-10T10:00", "misc"), own, S47).ShouldHaveSingleItem().Field.ShouldBe("data.note");

        BreachReasonList.Of([new("Bad Code", "x")]).Problem.ShouldBe("breachReasons[0].code: 'Bad Code' must be 1–64 characters of a–z, 0–9 and '-'");
        BreachReasonList.Of([new("a", "x"), new("a", "y")]).Problem!.ShouldContain("listed twice");
        BreachReasonList.Of([new("a", " ")]).Problem!.ShouldContain("breachReasons[0].label");
    }

    [Fact]
    public void The_reason_as_at_an_instant_is_the_last_recorded_by_then_and_a_retraction_removes_it_from_its_recording()
    {
        var first = Recorded(Reason("2022-10-10T10:00", "staffing"), "2022-10-10T10:00");
        var second = Recorded(Reason("2022-10-11T10:00", "awaiting-partner", "police"), "2022-10-11T10:00");
        var retraction = Recorded(Retract("2022-10-12T10:00", second), "2022-10-12T10:00");
        var events = new[] { Recorded(S47, "2022-09-15T09:00"), first, second, retraction };

        BreachReasons.AsAt(events, At("2022-10-10T09:59")).ShouldBeEmpty();
        BreachReasons.AsAt(events, At("2022-10-10T10:00"))[("icpc", "S1")].Code.ShouldBe("staffing");
        var replaced = BreachReasons.AsAt(events, At("2022-10-11T12:00"))[("icpc", "S1")];
        (replaced.Code, replaced.Note, replaced.EventId).ShouldBe(("awaiting-partner", "police", second.Id));
        // the correction withdrew the second: the first stands again
        BreachReasons.AsAt(events, At("2022-10-12T12:00"))[("icpc", "S1")].Code.ShouldBe("staffing");

        var history = BreachReasons.History(events);
        history.Select(v => (v.Reason.Code, v.KnownFrom, v.KnownTo)).ShouldBe([
            ("staffing", At("2022-10-10T10:00"), At("2022-10-11T10:00")),
            ("awaiting-partner", At("2022-10-11T10:00"), At("2022-10-12T10:00")),
            ("staffing", At("2022-10-12T10:00"), null),
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_reason_starts_stops_and_cancels_no_clock()
    {
        var events = new[] { S47, Reason("2022-10-03T10:00", "staffing") };
        var clock = ClockFold.Fold(events, Rulebook.Default, TestCalendar.EnglandAndWales, At("2022-10-10T12:00")).Clocks.ShouldHaveSingleItem();
        (clock.Rule, clock.Status).ShouldBe(("icpc", ClockStatus.Breached));
    }

    [Fact]
    public void The_door_holds_rule_episode_and_reason_to_the_key_limit_and_the_note_to_free_text()
    {
        var e = new PathwayEvent(Guid.NewGuid(), "357", "C1", Occ("2022-10-10"),
            new BreachReasonRecorded("icpc", new string('e', 201), "staffing", new string('n', 1000)));
        DoorLimits.Check(e).ShouldHaveSingleItem().Field.ShouldBe("data.episode");
        DoorLimits.Check(e with { Data = new BreachReasonRecorded("icpc", "S1", "staffing", new string('n', 1001)) })
            .ShouldHaveSingleItem().Field.ShouldBe("data.note");
    }
}
