using CasePathway.Domain.Calendar;
using NodaTime;
using static CasePathway.Domain.Tests.Calendar.Times;

namespace CasePathway.Domain.Tests.Calendar;

public class WorkingHourTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();

    [Theory]
    [InlineData("2023-09-15T14:30", 72, "2023-09-20T14:30", "Friday 14:30 + 72 is Wednesday 14:30")]
    [InlineData("2024-03-28T15:00", 72, "2024-04-04T15:00", "across Good Friday and Easter Monday")]
    [InlineData("2023-03-24T10:00", 72, "2023-03-29T10:00", "across the spring clock change: no shift")]
    [InlineData("2024-10-25T10:00", 72, "2024-10-30T10:00", "across the autumn clock change: no shift")]
    [InlineData("2023-09-16T10:00", 72, "2023-09-21T00:00", "a Saturday start counts from Monday 00:00")]
    [InlineData("2022-09-19T09:00", 1, "2022-09-20T01:00", "a bank holiday start counts from the next working day")]
    [InlineData("2023-09-15T00:00", 24, "2023-09-18T00:00", "the end of Friday is written as Monday 00:00")]
    [InlineData("2023-09-13T10:00", 0, "2023-09-13T10:00", "zero hours on a working day")]
    public void Adding_working_hours(string start, int hours, string due, string why)
    {
        Calendar.AddWorkingHours(Local(start), hours).ShouldBe(Local(due), why);
        Calendar.WorkingHoursBetween(Local(start), Local(due)).ShouldBe(hours, why);
    }

    [Theory]
    [InlineData("2023-09-15T14:30", "2023-09-15T16:00", 1.5)]
    [InlineData("2023-09-15T14:30", "2023-09-16T12:00", 9.5)]
    [InlineData("2023-09-16T08:00", "2023-09-18T08:15", 8.25)]
    [InlineData("2023-09-18T08:15", "2023-09-16T08:00", -8.25)]
    public void Working_hours_between(string start, string end, double hours) =>
        Calendar.WorkingHoursBetween(Local(start), Local(end)).ShouldBe(hours);

    [Fact]
    public void Adding_then_measuring_working_hours_round_trips()
    {
        var random = new Random(72);
        var origin = new LocalDateTime(2010, 1, 1, 0, 0);
        for (var i = 0; i < 500; i++)
        {
            var start = origin.PlusMinutes(random.Next(0, 60 * 24 * 365 * 25));
            var hours = random.Next(0, 2000);
            var due = Calendar.AddWorkingHours(start, hours);
            Calendar.WorkingHoursBetween(start, due).ShouldBe(hours, $"{start} + {hours}");
            Calendar.IsWorkingDay(due.Date).ShouldBeTrue($"{start} + {hours} = {due}");
        }
    }

    [Fact]
    public void Negative_working_hours_are_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(Local("2023-09-15T14:30"), -1));
}
