using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// How much of a clock's unit has elapsed: the one definition, used by the fold and by every read of a
/// stored clock, so a clock shows the same figure wherever it is read.
/// </summary>
public static class ClockElapsed
{
    /// <summary>
    /// From the start to the stop, else to the cancel (a cancelled clock's elapsed runs to the cancel), else
    /// to <paramref name="at"/>. A date-only end is 00:00 of its date; one on the start's own date is taken
    /// as the start itself, so a date-only stop later the same day as a timed start gives 0, never a
    /// negative figure (the source only knows the day, and the stop is not before the start).
    /// </summary>
    public static decimal Of(WorkingCalendar calendar, Occurrence started, Occurrence? stopped, Occurrence? cancelled, Instant at, TimeUnit unit)
    {
        var end = stopped ?? cancelled ?? Occurrence.At(at);
        if (end.IsDateOnly && end.Date == started.Date) end = started;
        return calendar.Elapsed(started, end, unit);
    }
}
