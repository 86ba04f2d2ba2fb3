using System.Collections.Concurrent;
using CasePathway.Domain.Time;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Calendar;

/// <summary>Sentences a manager can check by hand: how a due date was counted.</summary>
public sealed partial class WorkingCalendar
{
    private static readonly LocalDatePattern DayText = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM uuuu");
    private static readonly LocalDateTimePattern MomentText = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM uuuu HH':'mm");

    /// <summary>A date as explanations write it: "Thu 15 Sep 2022".</summary>
    public static string Describe(LocalDate date) => DayText.Format(date);

    /// <summary>A local date-time as explanations write it: "Fri 15 Sep 2023 14:30".</summary>
    public static string Describe(LocalDateTime local) => MomentText.Format(local);

    /// <summary>
    /// E.g. "15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (Bank holiday:
    /// State Funeral of Queen Elizabeth II): due Fri 7 Oct 2022." Notes computed bank-holiday years.
    /// </summary>
    public string ExplainDue(Occurrence start, Limit limit)
    {
        // A limit in days or months is counted from the start's date alone, so its sentence is too: a council's
        // clocks share a few thousand such sentences, and each is built once. The cache is emptied when it grows
        // past its bound, so memory stays flat however many years are explained.
        if (limit.Unit is TimeUnit.WorkingHours or TimeUnit.ElapsedHours) return BuildDueSentence(start, limit);
        if (dueSentences.TryGetValue((start.Date, limit), out var known)) return known;
        var sentence = BuildDueSentence(start, limit);
        if (dueSentences.Count >= DueSentencesKept) dueSentences.Clear();
        dueSentences[(start.Date, limit)] = sentence;
        return sentence;
    }

    private const int DueSentencesKept = 20_000;

    private readonly ConcurrentDictionary<(LocalDate Start, Limit Limit), string> dueSentences = new();

    private string BuildDueSentence(Occurrence start, Limit limit)
    {
        var due = this.Due(start, limit);
        var n = limit.Amount;
        var sentence = limit.Unit switch
        {
            TimeUnit.WorkingDays =>
                $"{Plural(n, "working day")} from {Describe(start.Date)}{NotCounting(start.Date, due.Date)}: due {Describe(due.Date)}.",
            TimeUnit.WorkingHours => ExplainWorkingHours(start, n, due),
            TimeUnit.CalendarDays => $"{Plural(n, "calendar day")} from {Describe(start.Date)}: due {Describe(due.Date)}.",
            TimeUnit.CalendarMonths =>
                $"{Plural(n, "month")} from {Describe(start.Date)}: due {Describe(due.Date)}"
                + (due.Date.Day < start.Date.Day ? $" (that month has no day {start.Date.Day}, so its last day)." : "."),
            TimeUnit.ElapsedHours => ExplainElapsedHours(start, n, due),
            _ => throw new ArgumentOutOfRangeException(nameof(limit), limit.Unit, "Unknown time unit."),
        };
        return sentence + ComputedYearsNote(start.Date.Year, due.Date.Year);
    }

    /// <summary>"Bank holidays for 2028 are computed …" when any year in the range is not published; else empty.</summary>
    public string ComputedYearsNote(int fromYear, int toYear)
    {
        var computed = Enumerable.Range(fromYear, Math.Max(0, toYear - fromYear + 1)).Where(IsComputedYear).ToList();
        if (computed.Count == 0) return "";
        return $" Bank holidays for {ListOf(computed.Select(y => y.ToString()), "and")} are computed from the regular pattern, not published by gov.uk: a one-off holiday would be missed.";
    }

    private string ExplainWorkingHours(Occurrence start, int n, Deadline due)
    {
        var from = start.LocalDateTime;
        var counted = IsWorkingDay(from.Date)
            ? ""
            : $" ({Describe(from.Date)} is not a working day, so counting starts at 00:00 on {Describe(AddWorkingDays(from.Date, 1))})";
        return $"{Plural(n, "working hour")} from {Describe(from)}{counted}, counting all 24 hours of each working day"
            + $"{NotCounting(from.Date, due.Date, " and not counting")}: due {Describe(due.LocalDateTime!.Value)}.";
    }

    private static string ExplainElapsedHours(Occurrence start, int n, Deadline due)
    {
        var from = start.ToInstant();
        var shift = London.Zone.GetUtcOffset(due.Instant!.Value) - London.Zone.GetUtcOffset(from);
        var clocks = shift == Offset.Zero
            ? ""
            : $" (the clocks go {(shift > Offset.Zero ? "forward" : "back")} in between, so the London time moves by an hour)";
        return $"{Plural(n, "hour")} from {Describe(London.LocalDateTimeOf(from))}{clocks}: due {Describe(due.LocalDateTime!.Value)}.";
    }

    /// <summary>", not counting weekends or Mon 19 Sep 2022 (…)" for the non-working days in (start, end].</summary>
    private string NotCounting(LocalDate start, LocalDate end, string lead = ", not counting")
    {
        // Weekends are named once, as "weekends", ahead of the holidays and closures, which are named each by date.
        var weekends = false;
        List<string>? others = null;
        for (var d = start.PlusDays(1); d <= end; d = d.PlusDays(1))
        {
            if (d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) weekends = true;
            else if (WhyNotWorking(d) is { } why) (others ??= []).Add($"{Describe(why.Date)} ({why.Reason})");
        }
        if (!weekends && others is null) return "";
        IEnumerable<string> parts = others ?? [];
        return $"{lead} {ListOf(weekends ? parts.Prepend("weekends") : parts, "or")}";
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    private static string ListOf(IEnumerable<string> items, string conjunction)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} {conjunction} {list[^1]}";
    }
}
