using System.Collections.Concurrent;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// What a manager reads: what started the clock, how the due date was counted (the calendar's words, naming
/// skipped holidays) and what happened — "Started by “Strategy discussion held”. 15 working days from … Stopped
/// Mon 10 Oct 2022 by “Initial child protection conference held”: 1 working day late." Events are named in the
/// timeline's words (<see cref="TimelineWording.Kind"/>), dates as the timeline writes them.
/// </summary>
public static class ClockExplanation
{
    public static string Explain(Clock clock, WorkingCalendar calendar) => Explain(clock, calendar, ExplainDue(clock, calendar));

    /// <summary>The explanation, given the clock's <see cref="ExplainDue"/> already built.</summary>
    internal static string Explain(Clock clock, WorkingCalendar calendar, string due) => $"{due} {Outcome(clock, calendar)}.";

    /// <summary>What started the clock and how its due date was counted: the part that does not depend on the instant it is read at.</summary>
    public static string ExplainDue(Clock clock, WorkingCalendar calendar)
    {
        var due = calendar.ExplainDue(clock.Started, clock.Limit);
        return clock.StartEventType is { } start ? $"Started by {Named(start)}. {due}" : due;
    }

    /// <summary>An event type as the timeline words it, quoted: “Initial child protection conference held”.</summary>
    public static string Named(string? eventType)
    {
        if (eventType is null) return "an event";
        if (Names.TryGetValue(eventType, out var named)) return named;
        named = $"“{TimelineWording.Kind(eventType)}”";
        // Every version's explanation names one or two of the rulebook's few dozen event types: each is quoted once.
        // A type outside the catalogue is named as it is, so the names kept are bounded.
        if (Names.Count < NamesKept) Names.TryAdd(eventType, named);
        return named;
    }

    private const int NamesKept = 256;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    private static string Outcome(Clock clock, WorkingCalendar calendar)
    {
        var status = clock.Status;
        switch (status)
        {
            case ClockStatus.Met:
            {
                var spare = Amount(calendar, clock.Stopped!.Value, clock.Due.AsOccurrence(), clock.Unit);
                var margin = spare.Value > 0 ? $"met, {spare.Text} to spare" : "met";
                return $"Stopped {When(clock.Stopped!.Value, clock)} by {Named(clock.StopEventType)}: {margin}";
            }
            case ClockStatus.Late:
                return $"Stopped {When(clock.Stopped!.Value, clock)} by {Named(clock.StopEventType)}: {Amount(calendar, clock.Due.AsOccurrence(), clock.Stopped!.Value, clock.Unit).Text} late";
            case ClockStatus.Cancelled:
                return $"Cancelled {When(clock.Cancelled!.Value, clock)} by {Named(clock.CancelEventType)}";
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
