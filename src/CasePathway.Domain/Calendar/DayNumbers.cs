using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// Dates as consecutive integers, and weekday arithmetic on them in constant time, so counting working
/// days never walks day by day. Day 1 is Monday 1 January 0001; day 0 the Sunday before.
/// </summary>
internal static class DayNumbers
{
    public static int Of(LocalDate date) => date.ToDateOnly().DayNumber + 1;

    public static LocalDate ToDate(int day) => LocalDate.FromDateOnly(DateOnly.FromDayNumber(day - 1));

    public static bool IsWeekday(LocalDate date) => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);

    /// <summary>Weekdays in days 1..day (day ≥ 0).</summary>
    public static int WeekdaysUpTo(int day) => 5 * (day / 7) + Math.Min(day % 7, 5);

    /// <summary>The day of the n-th weekday (n ≥ 1) counted from day 1.</summary>
    public static int NthWeekday(int n) => 7 * ((n - 1) / 5) + (n - 1) % 5 + 1;

    /// <summary>How many of the ascending <paramref name="sorted"/> lie in (after, upTo].</summary>
    public static int CountIn(int[] sorted, int after, int upTo) => AtMost(sorted, upTo) - AtMost(sorted, after);

    private static int AtMost(int[] sorted, int day)
    {
        var i = Array.BinarySearch(sorted, day);
        return i >= 0 ? i + 1 : ~i;
    }
}
