using NodaTime;

namespace CasePathway.Domain.Calendar;

// PUBLIC SURFACE AGREED BETWEEN HELPERS — bodies to be written by the calendar work (branch `calendar`).
// Keep these signatures; add members freely.

/// <summary>Why a date is not a working day.</summary>
public sealed record NonWorkingDay(LocalDate Date, string Reason, bool Computed);

/// <summary>
/// England &amp; Wales working days for one tenant: weekends, bank holidays (published data 2012–2027,
/// computed outside it) and the tenant's closure days. All conventions of docs/conventions.md live here.
/// </summary>
public sealed partial class WorkingCalendar
{
    public bool IsWorkingDay(LocalDate date) => throw new NotImplementedException();

    /// <summary>The N-th working day after <paramref name="start"/> (the start date is day 0).</summary>
    public LocalDate AddWorkingDays(LocalDate start, int days) => throw new NotImplementedException();

    /// <summary>Working days d with start &lt; d ≤ end (same day = 0).</summary>
    public int WorkingDaysBetween(LocalDate start, LocalDate end) => throw new NotImplementedException();

    /// <summary>Counting the 24 hours of each working day; a start on a non-working day counts from 00:00 of the next working day.</summary>
    public LocalDateTime AddWorkingHours(LocalDateTime start, int hours) => throw new NotImplementedException();

    /// <summary>Working hours between two local date-times (fractional).</summary>
    public double WorkingHoursBetween(LocalDateTime start, LocalDateTime end) => throw new NotImplementedException();

    /// <summary>The non-working days d with start &lt; d ≤ end, each with its reason, for explanations.</summary>
    public IReadOnlyList<NonWorkingDay> NonWorkingDaysBetween(LocalDate start, LocalDate end) => throw new NotImplementedException();
}
