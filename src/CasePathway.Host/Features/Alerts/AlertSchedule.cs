using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Features.Alerts;

/// <summary>One morning message's slot: the council-local date it is for and the instant it goes.</summary>
public readonly record struct AlertSlot(LocalDate Date, Instant At);

/// <summary>
/// When a council's morning alerts go: at its time of day (London), on its working days only — a message about
/// what breaches "today" is no use on a Saturday or a bank holiday. Pure: the calendar, the time and "now" are given.
/// </summary>
public static class AlertSchedule
{
    /// <summary>
    /// The first slot that is still to come at <paramref name="now"/> and, when <paramref name="after"/> is given,
    /// is for a later date than it (the slot after one just sent, never the same date twice).
    /// </summary>
    public static AlertSlot Next(WorkingCalendar calendar, LocalTime at, Instant now, LocalDate? after = null)
    {
        var date = London.DateOf(now);
        if (after is { } a && date <= a) date = a.PlusDays(1);
        for (var i = 0; i < 366; i++, date = date.PlusDays(1))
        {
            if (!calendar.IsWorkingDay(date)) continue;
            var instant = London.InstantOf(date + at);
            if (instant > now) return new AlertSlot(date, instant);
        }
        throw new InvalidOperationException("no working day within a year");
    }
}
