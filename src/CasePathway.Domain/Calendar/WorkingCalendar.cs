using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>Why a date is not a working day.</summary>
public sealed record NonWorkingDay(LocalDate Date, string Reason, bool Computed);

/// <summary>
/// England &amp; Wales working days for one tenant: weekends, bank holidays (published data 2012–2027,
/// computed outside it) and the tenant's closure days. All conventions of docs/conventions.md live here.
/// Counting is by binary search over sorted holiday and closure day numbers, never a walk over the days.
/// </summary>
public sealed partial class WorkingCalendar
{
    private static readonly WorkingCalendar WithoutClosures = new([]);

    private readonly HashSet<LocalDate> closureDays;

    /// <summary>Closure days on weekdays that are not already bank holidays (the ones that change a count).</summary>
    private readonly int[] extraClosures;

    private WorkingCalendar(IEnumerable<LocalDate> closures)
    {
        closureDays = [.. closures];
        foreach (var day in closureDays) BankHolidays.EnsureSupported(day.Year);
        extraClosures = closureDays
            .Where(d => DayNumbers.IsWeekday(d) && BankHolidays.On(d) is null)
            .Select(DayNumbers.Of).Order().ToArray();
    }

    /// <summary>
    /// The England &amp; Wales calendar with a tenant's closure days (e.g. a Christmas shutdown). Without
    /// closure days the one shared instance is returned; the bank holidays are built once per process.
    /// </summary>
    public static WorkingCalendar EnglandAndWales(IEnumerable<LocalDate>? closureDays = null)
    {
        if (closureDays is null) return WithoutClosures;
        var days = closureDays as ICollection<LocalDate> ?? closureDays.ToList();
        return days.Count == 0 ? WithoutClosures : new WorkingCalendar(days);
    }

    public IReadOnlySet<LocalDate> ClosureDays => closureDays;

    /// <summary>True when the year's bank holidays were computed from the regular pattern, not published.</summary>
    public bool IsComputedYear(int year) => !BankHolidays.IsPublished(year);

    public bool IsWorkingDay(LocalDate date) =>
        DayNumbers.IsWeekday(date) && BankHolidays.On(date) is null && !closureDays.Contains(date);

    /// <summary>Why <paramref name="date"/> is not a working day; null when it is one.</summary>
    public NonWorkingDay? WhyNotWorking(LocalDate date)
    {
        if (date.DayOfWeek == IsoDayOfWeek.Saturday) return new NonWorkingDay(date, "Saturday", false);
        if (date.DayOfWeek == IsoDayOfWeek.Sunday) return new NonWorkingDay(date, "Sunday", false);
        if (BankHolidays.On(date) is { } holiday) return new NonWorkingDay(date, HolidayReason(holiday), holiday.Computed);
        return closureDays.Contains(date) ? new NonWorkingDay(date, "Closure day", false) : null;
    }

    /// <summary>
    /// The N-th working day after <paramref name="start"/> (the start date is day 0). A negative N counts
    /// back: the N-th working day before the start.
    /// </summary>
    public LocalDate AddWorkingDays(LocalDate start, int days)
    {
        var day = DayNumbers.Of(start);
        var remaining = Math.Abs(days);
        // Jump over exactly `remaining` weekdays, then take back the holidays and closures jumped over;
        // when nothing is left to take back, the day reached is a working day.
        while (remaining > 0)
        {
            if (days > 0)
            {
                var next = DayNumbers.NthWeekday(DayNumbers.WeekdaysUpTo(day) + remaining);
                remaining -= WorkingDaysIn(day, next);
                day = next;
            }
            else
            {
                var previous = DayNumbers.NthWeekday(DayNumbers.WeekdaysUpTo(day - 1) - remaining + 1);
                remaining -= WorkingDaysIn(previous - 1, day - 1);
                day = previous;
            }
            EnsureSupported(day);
        }
        return DayNumbers.ToDate(day);
    }

    /// <summary>
    /// Working days d with start &lt; d ≤ end (same day = 0). When end is before start the count is
    /// negative: minus the working days d with end &lt; d ≤ start, so counts add up across intervals.
    /// </summary>
    public int WorkingDaysBetween(LocalDate start, LocalDate end)
    {
        int a = DayNumbers.Of(start), b = DayNumbers.Of(end);
        EnsureSupported(a);
        EnsureSupported(b);
        return a <= b ? WorkingDaysIn(a, b) : -WorkingDaysIn(b, a);
    }

    /// <summary>
    /// Counting the 24 hours of each working day; a start on a non-working day counts from 00:00 of the
    /// next working day. A result at the very end of a working day is written as 00:00 of the next working
    /// day (no working time lies between the two), so comparing local date-times agrees with the count.
    /// </summary>
    public LocalDateTime AddWorkingHours(LocalDateTime start, int hours)
    {
        if (hours < 0) throw new ArgumentOutOfRangeException(nameof(hours), hours, "Working hours to add cannot be negative.");
        var from = IsWorkingDay(start.Date) ? start : AddWorkingDays(start.Date, 1).AtMidnight();
        var ticks = from.TimeOfDay.TickOfDay + hours * NodaConstants.TicksPerHour;
        var date = AddWorkingDays(from.Date, (int)(ticks / NodaConstants.TicksPerDay));
        return date + LocalTime.FromTicksSinceMidnight(ticks % NodaConstants.TicksPerDay);
    }

    /// <summary>Working hours between two local date-times (fractional; negative when end is before start).</summary>
    public double WorkingHoursBetween(LocalDateTime start, LocalDateTime end) =>
        (double)WorkingTicksBetween(start, end) / NodaConstants.TicksPerHour;

    /// <summary>Working time between two local date-times in ticks: exact, for the decimal elapsed amounts.</summary>
    internal long WorkingTicksBetween(LocalDateTime start, LocalDateTime end)
    {
        // Whole working days in [start date, end date), plus the part of the end's day, minus the part of
        // the start's day already gone; a non-working day contributes no part.
        var wholeDays = WorkingDaysBetween(start.Date.PlusDays(-1), end.Date.PlusDays(-1));
        return wholeDays * NodaConstants.TicksPerDay + PartOfDay(end) - PartOfDay(start);
    }

    /// <summary>The non-working days d with start &lt; d ≤ end, each with its reason, for explanations.</summary>
    public IReadOnlyList<NonWorkingDay> NonWorkingDaysBetween(LocalDate start, LocalDate end)
    {
        var result = new List<NonWorkingDay>();
        for (var d = start.PlusDays(1); d <= end; d = d.PlusDays(1))
            if (WhyNotWorking(d) is { } why) result.Add(why);
        return result;
    }

    private long PartOfDay(LocalDateTime at) => IsWorkingDay(at.Date) ? at.TimeOfDay.TickOfDay : 0;

    /// <summary>Working days in (after, upTo], after ≤ upTo, as day numbers.</summary>
    private int WorkingDaysIn(int after, int upTo) =>
        DayNumbers.WeekdaysUpTo(upTo) - DayNumbers.WeekdaysUpTo(after)
        - DayNumbers.CountIn(BankHolidays.WeekdayDayNumbers, after, upTo)
        - DayNumbers.CountIn(extraClosures, after, upTo);

    private static void EnsureSupported(int day) => BankHolidays.EnsureSupported(DayNumbers.ToDate(day).Year);

    private static string HolidayReason(BankHoliday holiday)
    {
        // gov.uk titles some one-offs "Bank holiday for the …"; drop that so the reason reads once.
        const string prefix = "Bank holiday for the ";
        var title = holiday.Title.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? char.ToUpperInvariant(holiday.Title[prefix.Length]) + holiday.Title[(prefix.Length + 1)..]
            : holiday.Title;
        return $"Bank holiday: {title}{(holiday.IsSubstitute ? " (substitute day)" : "")}";
    }
}
