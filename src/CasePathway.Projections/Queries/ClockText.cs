using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Projections.Queries;

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

    public static string Amount(decimal amount, TimeUnit unit)
    {
        var n = decimal.Round(amount, 1);
        var text = n == decimal.Truncate(n) ? decimal.Truncate(n).ToString(System.Globalization.CultureInfo.InvariantCulture) : n.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return $"{text} {UnitWord(unit, n)}";
    }

    /// <summary>The elapsed amount as a bare number, for CSV and JSON.</summary>
    public static string Number(decimal amount) =>
        decimal.Round(amount, 1).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"2 working days overdue", "5 working hours left", "due today", in the clock's own unit.</summary>
    public static string Remaining(WorkingCalendar calendar, Deadline due, Instant now)
    {
        var today = London.DateOf(now);
        switch (due.Unit)
        {
            case TimeUnit.WorkingHours when due.LocalDateTime is { } dueLocal:
            {
                var local = London.LocalDateTimeOf(now);
                var hours = local <= dueLocal ? calendar.WorkingHoursBetween(local, dueLocal) : calendar.WorkingHoursBetween(dueLocal, local);
                return local <= dueLocal ? $"{Amount((decimal)hours, due.Unit)} left" : $"{Amount((decimal)hours, due.Unit)} overdue";
            }
            case TimeUnit.ElapsedHours when due.Instant is { } dueAt:
            {
                var hours = (decimal)Math.Abs((dueAt - now).TotalHours);
                return now <= dueAt ? $"{Amount(hours, due.Unit)} left" : $"{Amount(hours, due.Unit)} overdue";
            }
            case TimeUnit.WorkingDays:
            {
                if (today == due.Date) return "due today";
                return today < due.Date
                    ? $"{Amount(calendar.WorkingDaysBetween(today, due.Date), due.Unit)} left"
                    : $"{Amount(calendar.WorkingDaysBetween(due.Date, today), due.Unit)} overdue";
            }
            default:
            {
                if (today == due.Date) return "due today";
                var days = Period.Between(today < due.Date ? today : due.Date, today < due.Date ? due.Date : today, PeriodUnits.Days).Days;
                return today < due.Date ? $"{Amount(days, TimeUnit.CalendarDays)} left" : $"{Amount(days, TimeUnit.CalendarDays)} overdue";
            }
        }
    }

    private static bool IsHourly(TimeUnit unit) => unit is TimeUnit.WorkingHours or TimeUnit.ElapsedHours;

    private static string UnitWord(TimeUnit unit, decimal n) => (unit, n == 1) switch
    {
        (TimeUnit.WorkingDays, true) => "working day",
        (TimeUnit.WorkingDays, false) => "working days",
        (TimeUnit.WorkingHours, true) => "working hour",
        (TimeUnit.WorkingHours, false) => "working hours",
        (TimeUnit.ElapsedHours, true) => "hour",
        (TimeUnit.ElapsedHours, false) => "hours",
        (TimeUnit.CalendarDays, true) => "day",
        (TimeUnit.CalendarDays, false) => "days",
        (TimeUnit.CalendarMonths, true) => "month",
        _ => "months",
    };
}
