using CasePathway.Domain.Calendar;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using NodaTime.Text;

namespace CasePathway.Domain.Clocks;

// Stands in for the calendar's own WorkingCalendar.ExplainDue until branch `calendar` lands: an instance
// member of that name takes precedence over this extension, so this file can then be deleted.

/// <summary>"15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (State Funeral): due Fri 7 Oct 2022".</summary>
public static class DueExplanation
{
    internal static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM uuuu");
    internal static readonly LocalDateTimePattern DayTime = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM uuuu HH':'mm");

    public static string ExplainDue(this WorkingCalendar calendar, Occurrence start, Limit limit)
    {
        var due = calendar.Due(start, limit);
        var amount = $"{limit.Amount} {limit.Unit.Words(limit.Amount)}";
        switch (limit.Unit)
        {
            case TimeUnit.WorkingDays:
            case TimeUnit.WorkingHours:
                var holidays = calendar.NonWorkingDaysBetween(start.Date, due.Date)
                    .Where(d => d.Date.DayOfWeek is not (NodaTime.IsoDayOfWeek.Saturday or NodaTime.IsoDayOfWeek.Sunday))
                    .Select(d => $"{Day.Format(d.Date)} ({d.Reason})")
                    .ToList();
                var skipped = holidays.Count == 0 ? "not counting weekends" : $"not counting weekends or {string.Join(", ", holidays)}";
                return limit.Unit == TimeUnit.WorkingDays
                    ? $"{amount} from {Day.Format(start.Date)}, {skipped}: due {Day.Format(due.Date)}"
                    : $"{amount} from {DayTime.Format(start.LocalDateTime)}, {skipped}: due {DayTime.Format(due.LocalDateTime ?? due.Date.AtMidnight())}";
            case TimeUnit.ElapsedHours:
                return $"{amount} from {DayTime.Format(start.LocalDateTime)}: due {DayTime.Format(London.LocalDateTimeOf(due.DueInstant()))}";
            default:
                return $"{amount} from {Day.Format(start.Date)}: due {Day.Format(due.Date)}";
        }
    }
}
