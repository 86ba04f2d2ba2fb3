using CasePathway.Domain.Calendar;
using NodaTime;
using static CasePathway.Domain.Tests.Calendar.Times;

namespace CasePathway.Domain.Tests.Calendar;

public class WorkingDayTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();

    public static TheoryData<string, int, string, string> DueDates => new()
    {
        // timescales.md worked examples
        { "2022-09-15", 15, "2022-10-07", "S47: Mon 19 Sep, the State Funeral, skipped" },
        { "2023-04-28", 1, "2023-05-02", "early May bank holiday 2023" },
        { "2022-05-27", 10, "2022-06-14", "2–3 Jun 2022 Platinum Jubilee skipped" },
        { "2023-05-05", 20, "2023-06-06", "coronation 8 May and spring holiday 29 May skipped" },
        // every one-off, with a due date across it
        { "2012-06-01", 1, "2012-06-06", "moved spring holiday 4 Jun and Diamond Jubilee 5 Jun 2012" },
        { "2012-05-25", 1, "2012-05-28", "the usual spring Monday was a working day in 2012" },
        { "2020-05-07", 1, "2020-05-11", "VE Day 8 May 2020" },
        { "2020-05-01", 1, "2020-05-04", "the usual early May Monday was a working day in 2020" },
        { "2022-06-01", 1, "2022-06-06", "Platinum Jubilee 2–3 Jun 2022" },
        { "2022-05-27", 1, "2022-05-30", "the usual spring Monday was a working day in 2022" },
        { "2022-09-16", 1, "2022-09-20", "State Funeral 19 Sep 2022" },
        { "2023-05-05", 1, "2023-05-09", "Coronation 8 May 2023" },
        // Easter
        { "2024-03-28", 1, "2024-04-02", "Good Friday and Easter Monday 2024" },
        { "2028-04-13", 1, "2028-04-18", "computed Easter 2028" },
        { "2011-04-21", 1, "2011-04-26", "computed Easter 2011" },
        // Christmas and New Year substitute days
        { "2020-12-24", 1, "2020-12-29", "Boxing Day 2020 on a Saturday: Mon 28" },
        { "2021-12-24", 1, "2021-12-29", "Christmas 2021 on a Saturday: Mon 27 and Tue 28" },
        { "2021-12-31", 1, "2022-01-04", "New Year 2022 on a Saturday: Mon 3 Jan" },
        { "2022-12-23", 1, "2022-12-28", "Christmas 2022 on a Sunday: Boxing Day Mon 26, substitute Tue 27" },
        { "2022-12-30", 1, "2023-01-03", "New Year 2023 on a Sunday: Mon 2 Jan" },
        { "2027-12-24", 1, "2027-12-29", "Christmas 2027 on a Saturday (published)" },
        { "2032-12-24", 1, "2032-12-29", "Christmas 2032 on a Saturday (computed)" },
        { "2027-12-31", 1, "2028-01-04", "New Year 2028 on a Saturday (computed)" },
        // starts on non-working days: the start date is still day 0
        { "2022-09-17", 1, "2022-09-20", "Saturday start, Monday bank holiday" },
        { "2022-09-18", 1, "2022-09-20", "Sunday start" },
        { "2022-09-19", 1, "2022-09-20", "bank holiday start" },
        { "2023-05-06", 0, "2023-05-06", "zero days: the start date itself" },
        { "2023-05-06", 5, "2023-05-15", "Saturday start, coronation Monday" },
        // counting back
        { "2022-09-20", -1, "2022-09-16", "one working day before, across the State Funeral" },
        { "2023-01-03", -2, "2022-12-29", "two working days before, across the New Year substitute day" },
        { "2022-09-18", -1, "2022-09-16", "one working day before a Sunday" },
    };

    [Theory, MemberData(nameof(DueDates))]
    public void The_Nth_working_day_after_the_start(string start, int days, string due, string why)
    {
        Calendar.AddWorkingDays(Date(start), days).ShouldBe(Date(due), why);
        if (days > 0) Calendar.WorkingDaysBetween(Date(start), Date(due)).ShouldBe(days, why);
    }

    [Theory]
    [InlineData("2022-09-15", "2022-10-07", 15)]
    [InlineData("2022-09-15", "2022-09-15", 0)]
    [InlineData("2022-09-17", "2022-09-18", 0)]
    [InlineData("2022-09-16", "2022-09-19", 0)]
    [InlineData("2022-09-16", "2022-09-20", 1)]
    [InlineData("2022-09-15", "2022-09-16", 1)]
    [InlineData("2022-10-07", "2022-09-15", -15)]
    [InlineData("2019-12-31", "2030-12-31", 2779)]
    public void Working_days_between_count_days_after_the_start_up_to_and_including_the_end(string start, string end, int expected) =>
        Calendar.WorkingDaysBetween(Date(start), Date(end)).ShouldBe(expected);

    [Fact]
    public void Closure_days_are_not_working_days()
    {
        var shutdown = WorkingCalendar.EnglandAndWales([Date("2023-12-27"), Date("2023-12-28"), Date("2023-12-29")]);
        shutdown.AddWorkingDays(Date("2023-12-22"), 1).ShouldBe(Date("2024-01-02"));
        shutdown.WorkingDaysBetween(Date("2023-12-22"), Date("2024-01-02")).ShouldBe(1);
        Calendar.WorkingDaysBetween(Date("2023-12-22"), Date("2024-01-02")).ShouldBe(4);
        shutdown.NonWorkingDaysBetween(Date("2023-12-26"), Date("2023-12-27"))
            .ShouldBe([new NonWorkingDay(Date("2023-12-27"), "Closure day", false)]);
    }

    [Fact]
    public void A_closure_day_on_a_weekend_or_bank_holiday_is_not_counted_twice()
    {
        var overlapping = WorkingCalendar.EnglandAndWales([Date("2023-12-25"), Date("2023-12-30")]);
        overlapping.WorkingDaysBetween(Date("2023-12-22"), Date("2024-01-05")).ShouldBe(
            Calendar.WorkingDaysBetween(Date("2023-12-22"), Date("2024-01-05")));
        overlapping.WhyNotWorking(Date("2023-12-25"))!.Reason.ShouldBe("Bank holiday: Christmas Day");
    }

    [Fact]
    public void Non_working_days_carry_their_reasons()
    {
        Calendar.NonWorkingDaysBetween(Date("2022-09-15"), Date("2022-09-20")).ShouldBe([
            new NonWorkingDay(Date("2022-09-17"), "Saturday", false),
            new NonWorkingDay(Date("2022-09-18"), "Sunday", false),
            new NonWorkingDay(Date("2022-09-19"), "Bank holiday: State Funeral of Queen Elizabeth II", false),
        ]);
        Calendar.WhyNotWorking(Date("2023-05-08"))!.Reason.ShouldBe("Bank holiday: Coronation of King Charles III");
        Calendar.WhyNotWorking(Date("2022-12-27"))!.Reason.ShouldBe("Bank holiday: Christmas Day (substitute day)");
        Calendar.WhyNotWorking(Date("2028-04-14")).ShouldBe(new NonWorkingDay(Date("2028-04-14"), "Bank holiday: Good Friday", true));
        Calendar.WhyNotWorking(Date("2022-09-20")).ShouldBeNull();
    }

    [Fact]
    public void The_factory_shares_one_calendar_when_there_are_no_closure_days()
    {
        WorkingCalendar.EnglandAndWales().ShouldBeSameAs(WorkingCalendar.EnglandAndWales([]));
    }

    /// <summary>The fast counting agrees with walking day by day, over many random ranges and closures.</summary>
    [Fact]
    public void Counting_agrees_with_a_day_by_day_walk()
    {
        var random = new Random(20220919);
        var origin = new LocalDate(2005, 1, 1);
        var closures = Enumerable.Range(0, 60).Select(_ => origin.PlusDays(random.Next(0, 365 * 30))).ToList();
        foreach (var calendar in new[] { Calendar, WorkingCalendar.EnglandAndWales(closures) })
        {
            for (var i = 0; i < 400; i++)
            {
                var start = origin.PlusDays(random.Next(0, 365 * 30));
                var days = random.Next(-300, 301);

                var walked = start;
                for (var left = Math.Abs(days); left > 0;)
                {
                    walked = walked.PlusDays(Math.Sign(days));
                    if (calendar.IsWorkingDay(walked)) left--;
                }
                calendar.AddWorkingDays(start, days).ShouldBe(walked, $"{start} {days:+0;-0}");

                var end = start.PlusDays(random.Next(-500, 501));
                var (from, to) = end >= start ? (start, end) : (end, start);
                var count = 0;
                for (var d = from.PlusDays(1); d <= to; d = d.PlusDays(1)) if (calendar.IsWorkingDay(d)) count++;
                calendar.WorkingDaysBetween(start, end).ShouldBe(end >= start ? count : -count, $"{start}..{end}");
            }
        }
    }
}
