using CasePathway.Domain.Calendar;

namespace CasePathway.Domain.Rules;

/// <summary>The rulebook's (and outputs') names of time units: working-days, working-hours, elapsed-hours, calendar-days, calendar-months.</summary>
public static class TimeUnitNames
{
    private static readonly Dictionary<string, TimeUnit> ByName = new(StringComparer.Ordinal)
    {
        ["working-days"] = TimeUnit.WorkingDays,
        ["working-hours"] = TimeUnit.WorkingHours,
        ["elapsed-hours"] = TimeUnit.ElapsedHours,
        ["calendar-days"] = TimeUnit.CalendarDays,
        ["calendar-months"] = TimeUnit.CalendarMonths,
    };

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static TimeUnit? Parse(string? name) => name is not null && ByName.TryGetValue(name, out var u) ? u : null;

    public static string Name(this TimeUnit unit) => ByName.First(kv => kv.Value == unit).Key;
}
