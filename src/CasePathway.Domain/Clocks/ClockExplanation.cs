using CasePathway.Domain.Calendar;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// What a manager reads: how the due date was counted (the calendar's words, naming skipped holidays)
/// and what happened — "Stopped Mon 10 Oct 2022 by InitialChildProtectionConferenceHeld: 1 working day late".
/// </summary>
public static class ClockExplanation
{
    public static string Explain(Clock clock, WorkingCalendar calendar)
    {
        // The calendar's sentence says how the due date was counted, naming every holiday skipped.
        return $"{calendar.ExplainDue(clock.Started, clock.Limit)} {Outcome(clock, calendar)}.";
    }

    private static string Outcome(Clock clock, WorkingCalendar calendar)
    {
        var status = clock.Status;
        switch (status)
        {
            case ClockStatus.Met:
            {
                var spare = Amount(calendar, clock.Stopped!.Value, clock.Due.AsOccurrence(), clock.Unit);
                var margin = spare.Value > 0 ? $"met, {spare.Text} to spare" : "met";
                return $"Stopped {When(clock.Stopped!.Value, clock)} by {clock.StopEventType}: {margin}";
            }
            case ClockStatus.Late:
                return $"Stopped {When(clock.Stopped!.Value, clock)} by {clock.StopEventType}: {Amount(calendar, clock.Due.AsOccurrence(), clock.Stopped!.Value, clock.Unit).Text} late";
            case ClockStatus.Cancelled:
                return $"Cancelled {When(clock.Cancelled!.Value, clock)} by {clock.CancelEventType}";
            case ClockStatus.NotMeasurable:
                return $"Not measurable: {clock.NotMeasurableReason}";
            case ClockStatus.Breached:
                return $"Still open at {When(Occurrence.At(clock.EvaluatedAt), clock)}: breached, " +
                       $"{Amount(calendar, clock.Due.AsOccurrence(), Occurrence.At(clock.EvaluatedAt), clock.Unit).Text} overdue";
            default:
                return $"Still open at {When(Occurrence.At(clock.EvaluatedAt), clock)}: running";
        }
    }

    private static string When(Occurrence at, Clock clock) =>
        clock.Due.IsHourBased && !at.IsDateOnly ? WorkingCalendar.Describe(at.LocalDateTime) : WorkingCalendar.Describe(at.Date);

    /// <summary>An amount between two occurrences in the clock's unit (months are counted in days: "12 days late").</summary>
    private static (decimal Value, string Text) Amount(WorkingCalendar calendar, Occurrence from, Occurrence to, TimeUnit unit)
    {
        var countIn = unit == TimeUnit.CalendarMonths ? TimeUnit.CalendarDays : unit;
        var value = Math.Max(0m, calendar.Elapsed(from, to, countIn));
        return (value, ElapsedAmount.Text(value, countIn));
    }
}
