namespace CasePathway.Domain.Calendar;

/// <summary>The units a clock's limit can be counted in (docs/conventions.md).</summary>
public enum TimeUnit
{
    WorkingDays,
    WorkingHours,
    ElapsedHours,
    CalendarDays,
    CalendarMonths,
}

/// <summary>A clock's limit: "15 working days", "72 hours".</summary>
public sealed record Limit(int Amount, TimeUnit Unit);
