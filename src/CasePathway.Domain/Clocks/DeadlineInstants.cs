using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>Instants derived from a <see cref="Deadline"/>, for storage and SQL filtering.</summary>
public static class DeadlineInstants
{
    /// <summary>
    /// The first instant at which a clock still open is breached: for day and month rules the start of
    /// the London day after the due date; for hour rules one microsecond after the due instant, because a
    /// stop exactly at the due instant is met, and PostgreSQL keeps microseconds — so that the filter
    /// <c>overdue_from &lt;= T</c> and <see cref="Deadline.IsPastAt"/> always agree.
    /// </summary>
    public static Instant OverdueFrom(this Deadline due) =>
        due.IsHourBased
            ? due.DueInstant() + Duration.FromTicks(10)
            : due.Date.PlusDays(1).AtStartOfDayInZone(London.Zone).ToInstant();

    /// <summary>The due moment as an instant: the hour deadline itself, or the start of the due date for day rules.</summary>
    public static Instant DueInstant(this Deadline due) =>
        due.Instant ?? (due.LocalDateTime is { } local ? London.InstantOf(local) : due.Date.AtStartOfDayInZone(London.Zone).ToInstant());

    /// <summary>The due moment as an occurrence: a date for day and month rules, an instant for hour rules.</summary>
    public static Occurrence AsOccurrence(this Deadline due) =>
        due.IsHourBased ? Occurrence.At(due.DueInstant()) : Occurrence.On(due.Date);
}
