using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;
using static CasePathway.Domain.Tests.Calendar.Times;

namespace CasePathway.Domain.Tests.Calendar;

public class DeadlineTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();

    [Theory]
    [InlineData("2022-09-15", 15, TimeUnit.WorkingDays, "2022-10-07")]
    [InlineData("2022-09-14T23:45:00Z", 15, TimeUnit.WorkingDays, "2022-10-07")] // 00:45 on the 15th in London
    [InlineData("2022-09-15", 10, TimeUnit.CalendarDays, "2022-09-25")]
    [InlineData("2024-01-31", 1, TimeUnit.CalendarMonths, "2024-02-29")]
    [InlineData("2023-01-31", 1, TimeUnit.CalendarMonths, "2023-02-28")]
    [InlineData("2023-08-31", 6, TimeUnit.CalendarMonths, "2024-02-29")]
    [InlineData("2022-08-31", 6, TimeUnit.CalendarMonths, "2023-02-28")]
    [InlineData("2022-11-30", 3, TimeUnit.CalendarMonths, "2023-02-28")]
    [InlineData("2022-10-31", 3, TimeUnit.CalendarMonths, "2023-01-31")]
    public void Day_and_month_rules_fall_due_on_a_date(string start, int amount, TimeUnit unit, string due)
    {
        var deadline = Calendar.Due(OccurrenceText.ParseOccurrence(start)!.Value, new Limit(amount, unit));
        deadline.Date.ShouldBe(Date(due));
        deadline.LocalDateTime.ShouldBeNull();
        deadline.IsHourBased.ShouldBeFalse();
        deadline.ToString().ShouldBe(due);
    }

    [Theory]
    [InlineData("2024-03-28T15:00", 72, TimeUnit.WorkingHours, "2024-04-04T15:00", "worked example")]
    [InlineData("2023-03-24T10:00", 72, TimeUnit.WorkingHours, "2023-03-29T10:00", "spring clock change: no shift")]
    [InlineData("2024-10-25T10:00", 72, TimeUnit.WorkingHours, "2024-10-30T10:00", "autumn clock change: no shift")]
    [InlineData("2023-03-24T10:00", 72, TimeUnit.ElapsedHours, "2023-03-27T11:00", "clocks go forward: due an hour later locally")]
    [InlineData("2024-10-25T10:00", 72, TimeUnit.ElapsedHours, "2024-10-28T09:00", "clocks go back: due an hour earlier locally")]
    [InlineData("2023-06-14T10:00", 72, TimeUnit.ElapsedHours, "2023-06-17T10:00", "no clock change")]
    public void Hour_rules_fall_due_at_a_local_date_time(string start, int hours, TimeUnit unit, string due, string why)
    {
        var deadline = Calendar.Due(At(start), new Limit(hours, unit));
        deadline.LocalDateTime.ShouldBe(Local(due), why);
        deadline.Date.ShouldBe(Local(due).Date);
        deadline.Instant.ShouldBe(London.InstantOf(Local(due)));
        deadline.ToString().ShouldBe(due);
    }

    [Fact]
    public void Elapsed_hours_are_exact_durations_across_clock_changes()
    {
        var start = At("2024-10-25T10:00");
        var deadline = Calendar.Due(start, new Limit(72, TimeUnit.ElapsedHours));
        (deadline.Instant!.Value - start.ToInstant()).ShouldBe(Duration.FromHours(72));
        Calendar.Elapsed(start, Occurrence.At(deadline.Instant.Value), TimeUnit.ElapsedHours).ShouldBe(72m);
        Calendar.Elapsed(start, At("2024-10-28T10:00"), TimeUnit.ElapsedHours).ShouldBe(73m);
    }

    [Fact]
    public void A_date_only_start_of_an_hour_rule_counts_from_the_start_of_its_day()
    {
        Calendar.Due(On("2023-09-15"), new Limit(72, TimeUnit.WorkingHours)).LocalDateTime.ShouldBe(Local("2023-09-20T00:00"));
        // In British Summer Time the start of the London day is 23:00 UTC the day before.
        Calendar.Due(On("2023-06-14"), new Limit(72, TimeUnit.ElapsedHours)).LocalDateTime.ShouldBe(Local("2023-06-17T00:00"));
    }

    public static TheoryData<string, TimeUnit, int, string, bool> Stops => new()
    {
        // day rules: met on or before the due date, whatever the time
        { "2022-09-15", TimeUnit.WorkingDays, 15, "2022-10-07", true },
        { "2022-09-15", TimeUnit.WorkingDays, 15, "2022-10-07T23:59", true },
        { "2022-09-15", TimeUnit.WorkingDays, 15, "2022-10-08", false },
        { "2022-09-15", TimeUnit.WorkingDays, 15, "2022-10-10T00:01", false },
        { "2022-09-15T10:00", TimeUnit.WorkingDays, 1, "2022-09-15T09:00", true },
        { "2024-01-31", TimeUnit.CalendarMonths, 1, "2024-02-29", true },
        { "2024-01-31", TimeUnit.CalendarMonths, 1, "2024-03-01", false },
        // hour rules: met at or before the due moment
        { "2024-03-28T15:00", TimeUnit.WorkingHours, 72, "2024-04-04T15:00", true },
        { "2024-03-28T15:00", TimeUnit.WorkingHours, 72, "2024-04-04T15:01", false },
        { "2024-03-28T15:00", TimeUnit.WorkingHours, 72, "2024-04-04", true },
        { "2024-03-28T15:00", TimeUnit.WorkingHours, 72, "2024-04-05", false },
        { "2023-09-15T00:00", TimeUnit.WorkingHours, 24, "2023-09-16T10:00", true },
        { "2023-03-24T10:00", TimeUnit.ElapsedHours, 72, "2023-03-27T11:00", true },
        { "2023-03-24T10:00", TimeUnit.ElapsedHours, 72, "2023-03-27T11:01", false },
        { "2023-03-24T10:00", TimeUnit.ElapsedHours, 72, "2023-03-27", true },
        { "2023-03-24T10:00", TimeUnit.ElapsedHours, 72, "2023-03-28", false },
    };

    [Theory, MemberData(nameof(Stops))]
    public void A_stop_on_or_before_the_deadline_meets_it(string start, TimeUnit unit, int amount, string stop, bool met)
    {
        var deadline = Calendar.Due(Occur(start), new Limit(amount, unit));
        deadline.IsMetBy(Occur(stop)).ShouldBe(met);
    }

    [Fact]
    public void A_day_rule_is_past_due_from_the_start_of_the_next_London_day()
    {
        var deadline = Calendar.Due(On("2022-09-15"), new Limit(15, TimeUnit.WorkingDays));
        deadline.IsPastAt(London.InstantOf(Local("2022-10-07T23:59"))).ShouldBeFalse();
        deadline.IsPastAt(London.InstantOf(Local("2022-10-08T00:00"))).ShouldBeTrue();
        // 23:30 UTC on the due date is already the next day in London (BST).
        deadline.IsPastAt(Instant.FromUtc(2022, 10, 7, 23, 30)).ShouldBeTrue();
    }

    [Fact]
    public void An_hour_rule_is_past_due_after_its_instant()
    {
        var deadline = Calendar.Due(At("2024-03-28T15:00"), new Limit(72, TimeUnit.WorkingHours));
        deadline.IsPastAt(deadline.Instant!.Value).ShouldBeFalse();
        deadline.IsPastAt(deadline.Instant.Value + Duration.Epsilon).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2022-09-15", "2022-10-07", TimeUnit.WorkingDays, 15)]
    [InlineData("2022-09-15T09:00", "2022-09-15T17:00", TimeUnit.WorkingDays, 0)]
    [InlineData("2022-10-07", "2022-09-15", TimeUnit.WorkingDays, -15)]
    [InlineData("2022-09-15", "2022-10-07", TimeUnit.CalendarDays, 22)]
    [InlineData("2023-01-31", "2023-02-28", TimeUnit.CalendarMonths, 1)]
    [InlineData("2023-01-31", "2023-02-27", TimeUnit.CalendarMonths, 0)]
    [InlineData("2023-08-31", "2024-02-29", TimeUnit.CalendarMonths, 6)]
    [InlineData("2024-03-28T15:00", "2024-04-04T15:00", TimeUnit.WorkingHours, 72)]
    [InlineData("2023-09-15T14:30", "2023-09-15T14:50", TimeUnit.WorkingHours, 0.33)]
    [InlineData("2023-09-15T14:30", "2023-09-15T14:30", TimeUnit.WorkingHours, 0)]
    [InlineData("2023-03-24T10:00", "2023-03-27T11:00", TimeUnit.ElapsedHours, 72)]
    [InlineData("2023-03-24T10:00", "2023-03-24T10:20", TimeUnit.ElapsedHours, 0.33)]
    public void Elapsed_in_the_rules_unit(string start, string end, TimeUnit unit, double expected) =>
        Calendar.Elapsed(Occur(start), Occur(end), unit).ShouldBe((decimal)expected);

    [Fact]
    public void A_same_day_stop_is_met_with_nothing_elapsed()
    {
        var start = At("2022-09-15T09:00");
        var stop = At("2022-09-15T16:00");
        Calendar.Due(start, new Limit(1, TimeUnit.WorkingDays)).IsMetBy(stop).ShouldBeTrue();
        Calendar.Elapsed(start, stop, TimeUnit.WorkingDays).ShouldBe(0m);
        Calendar.Due(start, new Limit(0, TimeUnit.WorkingDays)).IsMetBy(stop).ShouldBeTrue();
    }

    [Theory]
    [InlineData(TimeUnit.WorkingDays)]
    [InlineData(TimeUnit.CalendarDays)]
    [InlineData(TimeUnit.CalendarMonths)]
    [InlineData(TimeUnit.WorkingHours)]
    [InlineData(TimeUnit.ElapsedHours)]
    public void At_the_deadline_exactly_the_limit_has_elapsed_and_it_is_met(TimeUnit unit)
    {
        var random = new Random((int)unit);
        for (var i = 0; i < 200; i++)
        {
            var start = Occurrence.At(Instant.FromUtc(2010, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(0, 60 * 24 * 365 * 20)));
            var limit = new Limit(random.Next(0, 100), unit);
            var deadline = Calendar.Due(start, limit);
            var atDue = deadline.Instant is { } instant ? Occurrence.At(instant) : Occurrence.On(deadline.Date);
            deadline.IsMetBy(atDue).ShouldBeTrue($"{start} + {limit}");
            Calendar.Elapsed(start, atDue, unit).ShouldBe(limit.Amount, $"{start} + {limit}");
        }
    }

    [Fact]
    public void A_negative_limit_is_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Calendar.Due(On("2022-09-15"), new Limit(-1, TimeUnit.WorkingDays)));

    private static Occurrence Occur(string text) => text.Length == 10 ? On(text) : At(text);
}
