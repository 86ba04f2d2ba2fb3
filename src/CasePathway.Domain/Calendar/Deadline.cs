using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Calendar;

// PUBLIC SURFACE AGREED BETWEEN HELPERS — bodies to be written by the calendar work (branch `calendar`).

/// <summary>
/// When a clock falls due. Day and month rules are due at the end of a London local date; hour rules at
/// a local date-time (working hours) or an instant (elapsed hours, shown in London local time).
/// </summary>
public sealed record Deadline(TimeUnit Unit, LocalDate Date, LocalDateTime? LocalDateTime, Instant? Instant)
{
    public bool IsHourBased => Unit is TimeUnit.WorkingHours or TimeUnit.ElapsedHours;

    /// <summary>True when a stop at <paramref name="stop"/> meets the deadline (on or before it).</summary>
    public bool IsMetBy(Occurrence stop) => throw new NotImplementedException();

    /// <summary>True when, with no stop, the clock is past due at <paramref name="now"/>.</summary>
    public bool IsPastAt(Instant now) => throw new NotImplementedException();
}

/// <summary>The counting conventions applied to occurrences: due times and elapsed amounts in a unit.</summary>
public static class Counting
{
    public static Deadline Due(this WorkingCalendar calendar, Occurrence start, Limit limit) => throw new NotImplementedException();

    /// <summary>How much of the unit has elapsed from start to end (stop, or now), by the conventions.</summary>
    public static decimal Elapsed(this WorkingCalendar calendar, Occurrence start, Occurrence end, TimeUnit unit) => throw new NotImplementedException();
}
