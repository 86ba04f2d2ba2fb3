using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// What a re-implementer had to guess, as docs/rulebook.md now states it: which of several events counts,
/// and when an event counts as having happened.
/// </summary>
public class ReadingRulesTests
{
    private static readonly Instant Later = At("2030-01-01T00:00");

    // "Occurred by T" includes T; a date-only occurrence happened at 00:00 London time of its date (in summer
    // 23:00 UTC the day before), in every unit family.
    [Theory]
    [InlineData("2023-06-02T10:00", "2023-06-02T10:00", true)]
    [InlineData("2023-06-02T10:00", "2023-06-02T09:59:59", false)]
    [InlineData("2023-06-02", "2023-06-02T00:00", true)]
    [InlineData("2023-06-02", "2023-06-01T23:59:59", false)]
    public void An_event_counts_from_the_instant_it_occurred_inclusive(string occurred, string at, bool counts)
    {
        foreach (var unit in RuleFamilies.Units.Keys)
        {
            var clock = ClockFold.Fold([E("2023-06-01T09:00", new ChildReturned("M1")), E(occurred, new ReturnInterviewCompleted("M1"))],
                RuleFamilies.CountedIn("return-interview", unit), TestCalendar.EnglandAndWales, At(at)).Clocks.Single();
            (clock.Stopped is not null).ShouldBe(counts, $"{unit}: stopped at {occurred}, seen at {at}");
        }
    }

    [Fact]
    public void Of_repeated_starts_the_earliest_counts_and_its_source_decides_whether_the_clock_is_measurable()
    {
        var annexA = E("2023-06-01", new ReferralReceived("R1"), source: "annex-a");
        var live = E("2023-06-02T09:00", new ReferralReceived("R1"), source: "lcs");
        var clock = Fold(live, annexA).Clocks.Single(c => c.Rule == "referral-decision");
        (clock.StartEventId, clock.Status).ShouldBe((annexA.Id, ClockStatus.NotMeasurable));

        var earlierLive = live with { Id = Guid.NewGuid(), OccurredAt = Occ("2023-05-31T09:00") };
        clock = Fold(annexA, earlierLive).Clocks.Single(c => c.Rule == "referral-decision");
        (clock.StartEventId, clock.Status).ShouldBe((earlierLive.Id, ClockStatus.Breached));
    }

    [Fact]
    public void A_date_only_start_sorts_before_a_timed_one_on_its_date()
    {
        // 00:00 of its date is the earliest it can have happened.
        var dated = E("2023-06-01", new ReferralReceived("R1"), source: "annex-a");
        var timed = E("2023-06-01T00:30", new ReferralReceived("R1"), source: "lcs");
        Fold(timed, dated).Clocks.Single(c => c.Rule == "referral-decision").StartEventId.ShouldBe(dated.Id);
    }

    [Theory]
    [InlineData("2023-06-01", "2023-06-01T00:00")]
    [InlineData("2023-06-01T14:30", "2023-06-01T14:30")]
    public void A_cancelled_clock_keeps_its_due_shows_no_stop_and_counts_to_the_cancel(string cancelled, string counted)
    {
        var clock = Fold(E("2023-05-31T09:00", new ChildReturned("M1")), E(cancelled, new ReturnInterviewDeclined("M1"))).Clocks.Single();
        clock.Status.ShouldBe(ClockStatus.Cancelled);
        (clock.Stopped, clock.StopEventId).ShouldBe((null, null));
        clock.Due.DueInstant().ShouldBe(At("2023-06-03T09:00"));
        clock.Elapsed.ShouldBe((decimal)(At(counted) - At("2023-05-31T09:00")).TotalHours);
    }

    private static Pathway Fold(params PathwayEvent[] events) => ClockFold.Fold(events, Rulebook.Default, TestCalendar.EnglandAndWales, Later);
}
