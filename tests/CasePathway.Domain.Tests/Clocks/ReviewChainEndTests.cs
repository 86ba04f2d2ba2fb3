using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// docs/rulebook.md, "Reviews chain": a plan (period) that ends on the date of review n, whichever came first
/// that day, leaves review n stopping clock n and no clock n+1; an end on a later date cancels clock n+1; an
/// end before review n's date cancels clock n. Every chain, counted in every unit family.
/// </summary>
public class ReviewChainEndTests
{
    private static readonly Instant Later = At("2030-01-01T00:00");
    private const string Started = "2023-01-10T10:00";
    private const string Review1 = "2023-04-03T10:00";
    private const string Review2 = "2023-09-01T10:00";

    // The plan's end; the reviews held (of Review1, Review2); then, per clock n = 1, 2, …, which review stops it
    // (1, 2) or 0 when the end cancels it. The chain has exactly that many clocks.
    public static readonly (string End, int Reviews, int[] Clocks, string Why)[] Cases =
    [
        ("2023-04-03T09:00", 1, [1], "the end an hour before review 1, same date: review 1 stops clock 1, no clock 2"),
        ("2023-04-03T11:00", 1, [1], "the end an hour after review 1, same date: no clock 2"),
        ("2023-04-03", 1, [1], "a date-only end on review 1's date"),
        ("2023-04-03T23:59", 1, [1], "the end at the last minute of review 1's London date"),
        ("2023-04-04T00:00", 1, [1, 0], "the end the next day cancels clock 2"),
        ("2023-06-20", 1, [1, 0], "the end on a later date cancels clock 2"),
        ("2023-04-02T23:59", 1, [0], "the end the day before review 1 cancels clock 1; the review after it counts for nothing"),
        ("2023-09-01T08:00", 2, [1, 2], "the end on review 2's date: review 2 stops clock 2, no clock 3"),
        ("2023-09-02", 2, [1, 2, 0], "the end the day after review 2 cancels clock 3"),
    ];

    public static TheoryData<string, string, int> Table()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var rule in RuleFamilies.ReviewChains)
            foreach (var unit in RuleFamilies.Units.Keys)
                for (var i = 0; i < Cases.Length; i++) data.Add(rule, unit, i);
        return data;
    }

    [Theory, MemberData(nameof(Table))]
    public void A_chain_ends_with_the_review_held_on_the_day_the_plan_ended(string rule, string unit, int @case)
    {
        var (endAt, held, expected, why) = Cases[@case];
        var r = RuleFamilies.Rules[rule];
        var reviews = new[] { Review1, Review2 }.Take(held).Select(at => E(at, r.Stop)).ToList();
        var end = E(endAt, r.Cancel);
        var events = reviews.Append(end).Append(E(Started, r.Start)).Reverse().ToList();

        var chain = ClockFold.Fold(events, RuleFamilies.CountedIn(rule, unit), TestCalendar.EnglandAndWales, Later)
            .Clocks.Where(c => c.Rule == rule).OrderBy(c => c.Episode, StringComparer.Ordinal).ToList();

        chain.Count.ShouldBe(expected.Length, why);
        for (var n = 0; n < expected.Length; n++)
        {
            var clock = chain[n];
            clock.Episode.ShouldEndWith($"#{n + 1}");
            if (expected[n] == 0)
            {
                (clock.Status, clock.CancelEventId, clock.Stopped).ShouldBe((ClockStatus.Cancelled, end.Id, null), $"clock {n + 1}: {why}");
            }
            else
            {
                clock.StopEventId.ShouldBe(reviews[expected[n] - 1].Id, $"clock {n + 1}: {why}");
                clock.Cancelled.ShouldBeNull();
                clock.Status.ShouldBeOneOf(ClockStatus.Met, ClockStatus.Late);
            }
        }
    }

    [Fact]
    public void A_plan_going_on_past_the_day_of_its_last_review_has_the_next_review_open()
    {
        var r = RuleFamilies.Rules["cp-review"];
        var chain = ClockFold.Fold([E(Started, r.Start), E(Review1, r.Stop)], CasePathway.Domain.Rules.Rulebook.Default, TestCalendar.EnglandAndWales, At("2023-04-04T09:00"))
            .Clocks.Where(c => c.Rule == "cp-review").OrderBy(c => c.Episode).ToList();
        chain.Select(c => (c.Episode, c.Status)).ShouldBe([("P1#1", ClockStatus.Met), ("P1#2", ClockStatus.Running)]);
        chain[1].Started.ShouldBe(Occ(Review1));
    }
}
