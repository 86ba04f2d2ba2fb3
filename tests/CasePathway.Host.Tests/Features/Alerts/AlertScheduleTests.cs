using CasePathway.Domain.Calendar;
using CasePathway.Host.Features.Alerts;
using NodaTime;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>When the morning messages go: the council's time, London time, on its working days only.</summary>
public sealed class AlertScheduleTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();
    private static readonly LocalTime Seven = new(7, 0);

    [Theory]
    // Thursday 14 March 2024 (GMT): before seven, today; after, Friday; Friday after seven, Monday
    [InlineData("2024-03-14T06:59:00Z", null, "2024-03-14", "2024-03-14T07:00:00Z")]
    [InlineData("2024-03-14T07:00:00Z", null, "2024-03-15", "2024-03-15T07:00:00Z")]
    [InlineData("2024-03-15T08:00:00Z", null, "2024-03-18", "2024-03-18T07:00:00Z")]
    // the slot after the 14th's, even if the 14th's ran early
    [InlineData("2024-03-14T06:00:00Z", "2024-03-14", "2024-03-15", "2024-03-15T07:00:00Z")]
    // Easter 2024: Good Friday 29 March and Easter Monday 1 April are bank holidays; 2 April is in British Summer Time
    [InlineData("2024-03-28T08:00:00Z", null, "2024-04-02", "2024-04-02T06:00:00Z")]
    // a message that ran days late: the next slot still to come, not one already past
    [InlineData("2024-03-20T09:00:00Z", "2024-03-14", "2024-03-21", "2024-03-21T07:00:00Z")]
    public void The_next_slot_is_the_first_working_day_at_the_councils_time_still_to_come(string now, string? after, string date, string at)
    {
        var slot = AlertSchedule.Next(Calendar, Seven, NodaTime.Text.InstantPattern.General.Parse(now).Value,
            after is null ? null : NodaTime.Text.LocalDatePattern.Iso.Parse(after).Value);
        slot.Date.ToString("yyyy-MM-dd", null).ShouldBe(date);
        slot.At.ShouldBe(NodaTime.Text.InstantPattern.General.Parse(at).Value);
    }
}
