using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using NodaTime;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// A clock's elapsed amount (docs/conventions.md): to the stop, else to the cancel's own instant, else to the
/// evaluation instant; date-only ends at 00:00 of their date, never before the start; hours to two places,
/// half away from zero. Cases in each unit family, through the fold and through <see cref="ClockElapsed"/>.
/// </summary>
public class ClockElapsedTests
{
    private static readonly Instant Later = At("2030-01-01T00:00");

    // A child returned Tue 1 Aug 2023 09:32 and declined the interview Tue 29 Aug 09:32: four weeks. Working
    // days: 20 weekdays less the summer bank holiday, Mon 28 Aug.
    [Theory]
    [InlineData("elapsed-hours", 672)]
    [InlineData("working-hours", 456)] // 19 working days × 24
    [InlineData("working-days", 19)]
    [InlineData("calendar-months", 0)]
    public void A_cancelled_clock_counts_to_the_cancels_instant(string unit, int elapsed)
    {
        var book = RuleFamilies.CountedIn("return-interview", unit);
        var clock = ClockFold.Fold([E("2023-08-01T09:32", new ChildReturned("M1")), E("2023-08-29T09:32", new ReturnInterviewDeclined("M1"))],
            book, TestCalendar.EnglandAndWales, Later).Clocks.Single();

        clock.Status.ShouldBe(ClockStatus.Cancelled);
        clock.Stopped.ShouldBeNull();
        clock.Elapsed.ShouldBe(elapsed);
        // A stored clock read back keeps the cancel's instant and gives the same figure at any later instant.
        ClockElapsed.Of(TestCalendar.EnglandAndWales, clock.Started, clock.Stopped, clock.Cancelled, At("2031-05-05T05:05"), clock.Unit).ShouldBe(elapsed);
    }

    // An hour rule's date-only start counts from 00:00; a date-only stop or cancel on the start's own date is
    // not before the start, so it gives 0, never a negative figure; a later one counts to 00:00 of its date.
    [Theory]
    [InlineData("elapsed-hours", "2023-08-01", "2023-08-01T09:32", 9.53)]
    [InlineData("working-hours", "2023-08-01", "2023-08-01T09:32", 9.53)]
    [InlineData("elapsed-hours", "2023-08-01T15:00", "2023-08-01", 0)]
    [InlineData("working-hours", "2023-08-01T15:00", "2023-08-01", 0)]
    [InlineData("working-days", "2023-08-01T15:00", "2023-08-01", 0)]
    [InlineData("elapsed-hours", "2023-08-01T15:00", "2023-08-02", 9)]
    [InlineData("working-hours", "2023-08-04T15:00", "2023-08-07", 9)] // Friday 15:00 to Monday 00:00
    [InlineData("elapsed-hours", "2023-08-01", "2023-08-04", 72)]
    public void Date_only_ends_count_at_00_00_and_never_before_the_start(string unit, string started, string ended, double elapsed)
    {
        var book = RuleFamilies.CountedIn("return-interview", unit);
        foreach (IPathwayEventData end in new IPathwayEventData[] { new ReturnInterviewCompleted("M1"), new ReturnInterviewDeclined("M1") })
        {
            var clock = ClockFold.Fold([E(started, new ChildReturned("M1")), E(ended, end)], book, TestCalendar.EnglandAndWales, Later).Clocks.Single();
            clock.Elapsed.ShouldBe((decimal)elapsed, $"{started} → {ended} ({end.GetType().Name})");
        }
    }

    [Fact]
    public void Only_an_end_before_the_start_counts_negative_and_a_clock_never_has_one()
    {
        // The calendar counts back when asked to (docs/conventions.md) …
        TestCalendar.EnglandAndWales.Elapsed(Occ("2023-08-01T15:00"), Occ("2023-08-01"), TimeUnit.ElapsedHours).ShouldBe(-15m);
        // … but a clock's stop is never before its start: the same two occurrences as a clock give 0.
        ClockElapsed.Of(TestCalendar.EnglandAndWales, Occ("2023-08-01T15:00"), Occ("2023-08-01"), null, Later, TimeUnit.ElapsedHours).ShouldBe(0m);
    }

    // Hours to two places, half away from zero (18 seconds is 0.005 of an hour), in both hour families.
    [Theory]
    [InlineData("elapsed-hours", "2023-03-01T09:00:00", "2023-03-04T08:58:48", 71.98)]
    [InlineData("working-hours", "2023-03-01T09:00:00", "2023-03-06T08:58:48", 71.98)] // the weekend is not counted
    [InlineData("elapsed-hours", "2023-03-01T09:00:00", "2023-03-01T19:00:18", 10.01)] // 10.005: away from zero, not to even
    [InlineData("elapsed-hours", "2023-03-01T09:00:00", "2023-03-01T19:00:17", 10)]
    [InlineData("elapsed-hours", "2022-01-01T00:00:00", "2023-02-26T11:15:00", 10115.25)]
    public void Hours_are_given_to_two_places_half_away_from_zero(string unit, string started, string stopped, double elapsed)
    {
        var clock = ClockFold.Fold([E(started, new ChildReturned("M1")), E(stopped, new ReturnInterviewCompleted("M1"))],
            RuleFamilies.CountedIn("return-interview", unit), TestCalendar.EnglandAndWales, Later).Clocks.Single();
        clock.Elapsed.ShouldBe((decimal)elapsed);
        ElapsedAmount.Text(clock.Elapsed).ShouldBe(((decimal)elapsed).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(71.98, "71.98")]
    [InlineData(72.0, "72")]
    [InlineData(10115.25, "10115.25")]
    [InlineData(10.005, "10.01")]
    [InlineData(10.015, "10.02")]
    [InlineData(-10.005, "-10.01")]
    [InlineData(-0.004, "0")]
    [InlineData(0.5, "0.5")]
    public void Amounts_are_written_with_two_places_at_most_half_away_from_zero(double amount, string text)
    {
        ElapsedAmount.Text((decimal)amount).ShouldBe(text);
        ElapsedAmount.Round((decimal)amount).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(text);
    }

    [Theory]
    [InlineData(1.0, TimeUnit.WorkingDays, "1 working day")]
    [InlineData(0.02, TimeUnit.WorkingHours, "0.02 working hours")]
    [InlineData(0.004, TimeUnit.ElapsedHours, "0 hours")]
    [InlineData(2.0, TimeUnit.CalendarMonths, "2 months")]
    public void Amounts_with_their_units(double amount, TimeUnit unit, string text) => ElapsedAmount.Text((decimal)amount, unit).ShouldBe(text);

    [Fact]
    public void An_explanation_gives_the_margin_to_two_places()
    {
        // 72 working hours from Wed 09:00 is Mon 09:00; screened at 08:59 Monday: a minute to spare.
        var clock = ClockFold.Fold([E("2023-03-01T09:00", new ContactReceived("K1", ContactRoute.Mash)), E("2023-03-06T08:59", new ContactScreened("K1", ScreeningOutcome.Nfa))],
            Rulebook.Default, TestCalendar.EnglandAndWales, Later).Clocks.Single(c => c.Rule == "mash-screening");
        clock.Explanation.ShouldEndWith("met, 0.02 working hours to spare.");
        clock.Elapsed.ShouldBe(71.98m);
    }
}
