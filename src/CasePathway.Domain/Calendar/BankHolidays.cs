using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// England &amp; Wales bank holidays for any supported year: published (gov.uk data) where the project has
/// it, computed from the regular pattern otherwise. Built once per process.
/// </summary>
public static class BankHolidays
{
    /// <summary>The years the calendar answers for; outside them counting throws rather than guesses.</summary>
    public const int FirstSupportedYear = 1900, LastSupportedYear = 2199;

    private static readonly Lazy<Table> All = new(Build);

    public static int FirstPublishedYear => PublishedBankHolidays.Years.Keys.Min();

    public static int LastPublishedYear => PublishedBankHolidays.Years.Keys.Max();

    /// <summary>True when the year's holidays come from gov.uk's data; false when computed.</summary>
    public static bool IsPublished(int year) => PublishedBankHolidays.Years.ContainsKey(year);

    public static IReadOnlyList<BankHoliday> In(int year)
    {
        EnsureSupported(year);
        return PublishedBankHolidays.Years.TryGetValue(year, out var published) ? published : All.Value.ByYear[year];
    }

    public static BankHoliday? On(LocalDate date)
    {
        EnsureSupported(date.Year);
        return All.Value.ByDate.GetValueOrDefault(date);
    }

    /// <summary>Day numbers of every weekday bank holiday in the supported years, ascending.</summary>
    internal static int[] WeekdayDayNumbers => All.Value.WeekdayDayNumbers;

    internal static void EnsureSupported(int year)
    {
        if (year is < FirstSupportedYear or > LastSupportedYear)
            throw new ArgumentOutOfRangeException(nameof(year), year,
                $"The working calendar covers {FirstSupportedYear}–{LastSupportedYear}.");
    }

    private sealed record Table(
        IReadOnlyDictionary<int, IReadOnlyList<BankHoliday>> ByYear,
        IReadOnlyDictionary<LocalDate, BankHoliday> ByDate,
        int[] WeekdayDayNumbers);

    private static Table Build()
    {
        var byYear = new Dictionary<int, IReadOnlyList<BankHoliday>>();
        for (var year = FirstSupportedYear; year <= LastSupportedYear; year++)
            byYear[year] = PublishedBankHolidays.Years.TryGetValue(year, out var published) ? published : BankHolidayPattern.For(year);
        var byDate = byYear.Values.SelectMany(h => h).ToDictionary(h => h.Date);
        var weekdays = byDate.Keys.Where(DayNumbers.IsWeekday).Select(DayNumbers.Of).Order().ToArray();
        return new Table(byYear, byDate, weekdays);
    }
}
