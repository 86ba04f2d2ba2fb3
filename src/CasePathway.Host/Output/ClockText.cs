using CasePathway.Domain.Clocks;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Output;

/// <summary>
/// How a clock's times and amounts are written in every output (contract, "Clocks"): London local dates
/// for day and month rules, local date-times for hour rules — never UTC instants.
/// </summary>
public static class ClockText
{
    public static string Time(TimeUnit unit, Occurrence at) =>
        IsHourly(unit) ? OccurrenceText.FormatLocal(at.LocalDateTime) : OccurrenceText.FormatDate(at.Date);

    public static string Due(Deadline due) =>
        due.IsHourBased && due.LocalDateTime is { } local ? OccurrenceText.FormatLocal(local) : OccurrenceText.FormatDate(due.Date);

    /// <summary>"2 working days overdue", "5 working hours left", "due today", in the clock's own unit.</summary>
    public static string Remaining(WorkingCalendar calendar, Deadline due, Instant now)
    {
        var today = London.DateOf(now);
        switch (due.Unit)
        {
            case TimeUnit.WorkingHours or TimeUnit.ElapsedHours:
            {
                // Counted and rounded as every elapsed amount is (two places): a minute to go is 0.02 hours
                // left, not 0.
                var (dueAt, nowAt) = (due.AsOccurrence(), Occurrence.At(now));
                return now <= due.DueInstant()
                    ? $"{ElapsedAmount.Text(calendar.Elapsed(nowAt, dueAt, due.Unit), due.Unit)} left"
                    : $"{ElapsedAmount.Text(calendar.Elapsed(dueAt, nowAt, due.Unit), due.Unit)} overdue";
            }
            case TimeUnit.WorkingDays:
            {
                if (today == due.Date) return "due today";
                return today < due.Date
                    ? $"{ElapsedAmount.Text(calendar.WorkingDaysBetween(today, due.Date), due.Unit)} left"
                    : $"{ElapsedAmount.Text(calendar.WorkingDaysBetween(due.Date, today), due.Unit)} overdue";
            }
            default:
            {
                if (today == due.Date) return "due today";
                var days = Period.Between(today < due.Date ? today : due.Date, today < due.Date ? due.Date : today, PeriodUnits.Days).Days;
                return today < due.Date ? $"{ElapsedAmount.Text(days, TimeUnit.CalendarDays)} left" : $"{ElapsedAmount.Text(days, TimeUnit.CalendarDays)} overdue";
            }
        }
    }

    private static bool IsHourly(TimeUnit unit) => unit is TimeUnit.WorkingHours or TimeUnit.ElapsedHours;
}
