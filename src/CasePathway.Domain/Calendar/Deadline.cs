using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// When a clock falls due. Day and month rules are due at the end of a London local date; hour rules at
/// a local date-time (working hours) or an instant (elapsed hours, shown in London local time). Hour
/// rules carry both the local date-time and the instant.
/// </summary>
public sealed record Deadline(TimeUnit Unit, LocalDate Date, LocalDateTime? LocalDateTime, Instant? Instant)
{
    public bool IsHourBased => Unit is TimeUnit.WorkingHours or TimeUnit.ElapsedHours;

    /// <summary>
    /// True when a stop at <paramref name="stop"/> meets the deadline (on or before it). A date-only stop
    /// of an hour rule meets it when its date is on or before the due date: the source only knows the
    /// day (this is the same as taking the stop at the start of its day, as <see cref="Occurrence"/> does).
    /// </summary>
    public bool IsMetBy(Occurrence stop)
    {
        if (!IsHourBased || stop.IsDateOnly) return stop.Date <= Date;
        return Unit == TimeUnit.WorkingHours
            ? stop.LocalDateTime <= LocalDateTime!.Value
            : stop.Instant!.Value <= Instant!.Value;
    }

    /// <summary>True when, with no stop, the clock is past due at <paramref name="now"/>.</summary>
    public bool IsPastAt(Instant now) => IsHourBased ? now > Instant!.Value : London.DateOf(now) > Date;

    /// <summary>The due moment as the contract writes it: a local date, or a local date-time for hour rules.</summary>
    public override string ToString() =>
        LocalDateTime is { } local ? OccurrenceText.FormatLocal(local) : OccurrenceText.FormatDate(Date);
}

/// <summary>The counting conventions applied to occurrences: due times and elapsed amounts in a unit.</summary>
public static class Counting
{
    public static Deadline Due(this WorkingCalendar calendar, Occurrence start, Limit limit)
    {
        if (limit.Amount < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit.Amount, "A limit cannot be negative.");
        var n = limit.Amount;
        switch (limit.Unit)
        {
            case TimeUnit.WorkingDays: return DayDeadline(limit.Unit, calendar.AddWorkingDays(start.Date, n));
            case TimeUnit.CalendarDays: return DayDeadline(limit.Unit, start.Date.PlusDays(n));
            case TimeUnit.CalendarMonths: return DayDeadline(limit.Unit, start.Date.PlusMonths(n));
            case TimeUnit.WorkingHours:
                // Working days never contain a clock change (UK changes are on Sundays), so the local
                // date-time maps to exactly one instant.
                var local = calendar.AddWorkingHours(start.LocalDateTime, n);
                return new Deadline(limit.Unit, local.Date, local, London.InstantOf(local));
            case TimeUnit.ElapsedHours:
                var instant = start.ToInstant() + Duration.FromHours(n);
                var shown = London.LocalDateTimeOf(instant);
                return new Deadline(limit.Unit, shown.Date, shown, instant);
            default:
                throw new ArgumentOutOfRangeException(nameof(limit), limit.Unit, "Unknown time unit.");
        }
    }

    /// <summary>
    /// How much of the unit has elapsed from start to end (stop, or now), by the conventions: whole
    /// working days, calendar days and whole months; hours to two decimal places. Negative when end is
    /// before start. Status comes from the <see cref="Deadline"/>, never from this rounded amount.
    /// </summary>
    public static decimal Elapsed(this WorkingCalendar calendar, Occurrence start, Occurrence end, TimeUnit unit) => unit switch
    {
        TimeUnit.WorkingDays => calendar.WorkingDaysBetween(start.Date, end.Date),
        TimeUnit.CalendarDays => Period.Between(start.Date, end.Date, PeriodUnits.Days).Days,
        TimeUnit.CalendarMonths => Period.Between(start.Date, end.Date, PeriodUnits.Months).Months,
        TimeUnit.WorkingHours => Hours(calendar.WorkingTicksBetween(start.LocalDateTime, end.LocalDateTime)),
        TimeUnit.ElapsedHours => Hours((end.ToInstant() - start.ToInstant()).BclCompatibleTicks),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    private static Deadline DayDeadline(TimeUnit unit, LocalDate date) => new(unit, date, null, null);

    private static decimal Hours(long ticks) => ElapsedAmount.Round((decimal)ticks / NodaConstants.TicksPerHour);
}
