using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// docs/rulebook.md: "a cancel counts only if it comes before the stop (a stop on the same date wins)" — the
/// London date, whichever came first that day, for every cancellable rule counted in every unit family.
/// </summary>
public class SameDateStopTests
{
    private static readonly Instant Later = At("2030-01-01T00:00");
    private const string Started = "2023-06-01T09:00"; // British Summer Time: London and UTC dates differ after 23:00

    // cancel, stop, whether the stop wins, the status then. Every stop on 2 Jun is within any family's limit
    // (15 working days, 72 hours of either kind, 3 months); one on 4 Sep is past all of them.
    public static readonly (string Cancel, string Stop, bool StopWins, ClockStatus Status, string Why)[] Cases =
    [
        ("2023-06-02T01:43", "2023-06-02T01:53", true, ClockStatus.Met, "cancel ten minutes before the stop, same date"),
        ("2023-06-02T13:57", "2023-06-02T13:52", true, ClockStatus.Met, "cancel after the stop, same date"),
        ("2023-06-02", "2023-06-02T13:57", true, ClockStatus.Met, "a date-only cancel on the stop's date"),
        ("2023-06-02T09:00", "2023-06-02", true, ClockStatus.Met, "a date-only stop on the cancel's date"),
        ("2023-06-02T00:30", "2023-06-02T23:30", true, ClockStatus.Met, "the same London date, different UTC dates"),
        ("2023-09-04T08:00", "2023-09-04T17:00", true, ClockStatus.Late, "a late stop still beats a cancel the same day"),
        ("2023-06-02T23:30", "2023-06-03T00:30", false, ClockStatus.Cancelled, "the same UTC date, different London dates"),
        ("2023-06-02", "2023-06-05T09:00", false, ClockStatus.Cancelled, "a cancel on an earlier date counts"),
    ];

    public static TheoryData<string, string, int> Table()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (rule, unit) in RuleFamilies.EveryRuleInEveryFamily())
            for (var i = 0; i < Cases.Length; i++) data.Add(rule, unit, i);
        return data;
    }

    [Theory, MemberData(nameof(Table))]
    public void A_stop_on_the_cancels_date_wins_whichever_came_first(string rule, string unit, int @case)
    {
        var (cancelAt, stopAt, stopWins, status, why) = Cases[@case];
        var r = RuleFamilies.Rules[rule];
        var start = E(Started, r.Start);
        var stop = E(stopAt, r.Stop);
        var cancel = E(cancelAt, r.Cancel);
        var events = new List<PathwayEvent> { start, stop, cancel };
        if (r.Link is not null) events.Add(E(Started, r.Link));
        var book = RuleFamilies.CountedIn(rule, unit);

        var clock = ClockFold.Fold(events, book, TestCalendar.EnglandAndWales, Later).Clocks.Single(c => c.Rule == rule && c.Episode == r.Episode);

        clock.Status.ShouldBe(status, why);
        clock.Due.ShouldBe(TestCalendar.EnglandAndWales.Due(start.OccurredAt, book[rule].Limit), "a cancelled clock keeps its due");
        if (stopWins)
        {
            (clock.StopEventId, clock.Stopped, clock.Cancelled).ShouldBe((stop.Id, stop.OccurredAt, null), why);
            clock.Explanation.ShouldContain($"by “{TimelineWording.Kind(stop.Type)}”");
        }
        else
        {
            (clock.CancelEventId, clock.Cancelled, clock.Stopped).ShouldBe((cancel.Id, cancel.OccurredAt, null), why);
            clock.Explanation.ShouldContain($"Cancelled {WorkingCalendar.Describe(cancel.OccurredAt.Date)}");
        }
    }

    [Theory]
    [InlineData("2023-06-02T01:43", "2023-06-02T01:53")]
    [InlineData("2023-06-02T01:53", "2023-06-02T01:43")]
    public void The_issues_cases_case_closed_then_authorised_and_declined_then_completed_are_met(string cancelAt, string stopAt)
    {
        var referral = Fold(E("2023-06-01T10:00", new ReferralReceived("R1")), E("2023-06-01T11:00", new AssessmentStarted("A1", "R1")),
            E(cancelAt, new CaseClosed("R1")), E(stopAt, new AssessmentAuthorised("A1", AssessmentOutcome.Nfa)));
        referral.Clocks.Single(c => c.Rule == "assessment").Status.ShouldBe(ClockStatus.Met);

        var missing = Fold(E("2023-06-01T10:00", new ChildReturned("M1")), E(cancelAt, new ReturnInterviewDeclined("M1")), E(stopAt, new ReturnInterviewCompleted("M1")));
        missing.Clocks.Single(c => c.Rule == "return-interview").Status.ShouldBe(ClockStatus.Met);
    }

    [Fact]
    public void Of_several_stops_the_first_at_or_after_the_start_counts_whatever_their_order_of_arrival()
    {
        var early = E("2023-06-01T08:00", new ReturnInterviewCompleted("M1")); // before the start: not this clock's
        var first = E("2023-06-05T10:00", new ReturnInterviewCompleted("M1"));
        var second = E("2023-06-02T10:00", new ReturnInterviewCompleted("M1"));
        var start = E("2023-06-01T09:00", new ChildReturned("M1"));

        foreach (var order in new[] { new[] { start, early, first, second }, [first, second, early, start], [second, start, first, early] })
        {
            var clock = Fold(order).Clocks.Single(c => c.Rule == "return-interview");
            (clock.StopEventId, clock.Status).ShouldBe((second.Id, ClockStatus.Met));
        }
    }

    private static Pathway Fold(params PathwayEvent[] events) => ClockFold.Fold(events, Rulebook.Default, TestCalendar.EnglandAndWales, Later);
}
