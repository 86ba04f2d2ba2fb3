using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// The regular England &amp; Wales pattern (Banking and Financial Dealings Act 1971 and the royal
/// proclamations that settled it by 1978), for years gov.uk has not published or no longer publishes.
/// It cannot know one-offs (e.g. the royal wedding of 29 Apr 2011) or moved days (e.g. 2002's spring
/// holiday): docs/conventions.md lists the known ones.
/// </summary>
public static class BankHolidayPattern
{
    private const string Substitute = "Substitute day";

    public static IReadOnlyList<BankHoliday> For(int year)
    {
        var days = new List<BankHoliday>(8);
        void Add(LocalDate date, string title, bool substitute = false) =>
            days.Add(new BankHoliday(date, title, substitute, Computed: true));

        var newYear = new LocalDate(year, 1, 1);
        if (IsWeekend(newYear)) Add(newYear.With(DateAdjusters.Next(IsoDayOfWeek.Monday)), "New Year’s Day", substitute: true);
        else Add(newYear, "New Year’s Day");

        var easter = EasterSunday(year);
        Add(easter.PlusDays(-2), "Good Friday");
        Add(easter.PlusDays(1), "Easter Monday");

        Add(new LocalDate(year, 5, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Monday)), "Early May bank holiday");
        Add(new LocalDate(year, 5, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)), "Spring bank holiday");
        Add(new LocalDate(year, 8, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)), "Summer bank holiday");

        // Christmas and Boxing Day falling at a weekend move to the next weekdays not already taken.
        var christmas = new LocalDate(year, 12, 25);
        switch (christmas.DayOfWeek)
        {
            case IsoDayOfWeek.Friday:
                Add(christmas, "Christmas Day");
                Add(christmas.PlusDays(3), "Boxing Day", substitute: true);
                break;
            case IsoDayOfWeek.Saturday:
                Add(christmas.PlusDays(2), "Christmas Day", substitute: true);
                Add(christmas.PlusDays(3), "Boxing Day", substitute: true);
                break;
            case IsoDayOfWeek.Sunday:
                Add(christmas.PlusDays(1), "Boxing Day");
                Add(christmas.PlusDays(2), "Christmas Day", substitute: true);
                break;
            default:
                Add(christmas, "Christmas Day");
                Add(christmas.PlusDays(1), "Boxing Day");
                break;
        }
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    /// <summary>Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static LocalDate EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100;
        int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return new LocalDate(year, month, day);
    }

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
}
