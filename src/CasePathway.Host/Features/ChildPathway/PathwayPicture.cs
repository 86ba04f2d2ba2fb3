using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Web;
using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>
/// One clock as a bar on the pathway's time axis (0–1000): the time allowed from start to due, the time
/// taken to its stop (or, while open, to the as-at instant), the part past due when it breached.
/// </summary>
public sealed record PictureBar(
    ClockView Clock,
    double Start,
    double Due,
    double? Stop,
    double? TakenTo,
    double? PastDueFrom,
    string Summary);

/// <summary>The pathway's clocks drawn against one time axis from the first start to the last due, stop or as-at.</summary>
public sealed record PathwayPicture(string From, string To, double? AsAt, string AsAtLabel, IReadOnlyList<PictureBar> Bars)
{
    public const double Width = 1000;

    /// <summary>
    /// The picture of <paramref name="clocks"/> as they stood at <paramref name="asAt"/>; null when there is
    /// no clock. Day and month rules are due by the end of their due date; a stop on a date is drawn mid-day.
    /// </summary>
    public static PathwayPicture? Of(IReadOnlyList<ClockView> clocks, Instant asAt, bool isAsAt)
    {
        var at = London.LocalDateTimeOf(asAt);
        var spans = clocks.Select(c => (Clock: c, Start: Point(c.Started, 0), Due: Point(c.Due, 24), Stop: c.Stopped is null ? null : Point(c.Stopped, 12),
                Open: c.Status is ClockStatus.Running or ClockStatus.Breached))
            .Where(s => s.Start is not null && s.Due is not null)
            .ToList();
        if (spans.Count == 0) return null;
        var from = spans.Min(s => s.Start!.Value);
        var to = spans.Max(s => Max(Max(s.Due!.Value, s.Stop ?? s.Due!.Value), s.Open ? at : s.Due!.Value));
        if (to <= from) to = from.PlusHours(1);
        var length = Period.Between(from, to, PeriodUnits.Minutes).Minutes;
        double X(LocalDateTime t) => Math.Clamp(Period.Between(from, t, PeriodUnits.Minutes).Minutes * Width / length, 0, Width);
        var asAtLabel = isAsAt ? "As at " + TimelineWording.When(asAt) : "Now, " + TimelineWording.When(asAt);
        var bars = spans.Select(s =>
        {
            var c = s.Clock;
            var takenTo = s.Stop is { } stop ? X(stop) : s.Open ? X(at) : (double?)null;
            var pastDue = c.Status is ClockStatus.Breached or ClockStatus.Late ? X(s.Due!.Value) : (double?)null;
            return new PictureBar(c, X(s.Start!.Value), X(s.Due!.Value), s.Stop is { } st ? X(st) : null, takenTo, pastDue, Summary(c, isAsAt));
        }).ToList();
        return new PathwayPicture(Text(from, end: false), Text(to, end: true), at >= from && at <= to ? X(at) : null, asAtLabel, bars);
    }

    /// <summary>"…: started Mon 11 Mar 2024, due Tue 12 Mar 2024, stopped Tue 12 Mar 2024; met." — what the bar says, for a screen reader.</summary>
    private static string Summary(ClockView c, bool isAsAt) =>
        $"{c.RuleTitle} ({c.Episode}): started {Words(c.Started)}, due {Words(c.Due)}" +
        (c.Stopped is null ? "" : $", stopped {Words(c.Stopped)}") +
        $"; {Display.StatusLabel(c.Status).ToLowerInvariant()}{(c.Status == ClockStatus.Breached ? (isAsAt ? " at the time chosen" : " now") : "")}.";

    /// <summary>A clock's time as the outputs write it (a London date, or a local date-time for hour rules).</summary>
    private static LocalDateTime? Point(string text, int hoursIntoADate)
    {
        if (OccurrenceText.ParseDate(text) is { } date) return date.AtMidnight().PlusHours(hoursIntoADate);
        return OccurrenceText.DateTimeMinutes.Parse(text) is { Success: true } local ? local.Value : null;
    }

    /// <summary>A clock's time in words for the page: "Mon 11 Mar 2024", "Mon 11 Mar 2024 09:00" (the text unchanged if it is neither).</summary>
    public static string Words(string clockTime)
    {
        if (OccurrenceText.ParseDate(clockTime) is { } date) return TimelineWording.When(Occurrence.On(date));
        return OccurrenceText.DateTimeMinutes.Parse(clockTime) is { Success: true } local
            ? TimelineWording.When(Occurrence.At(London.InstantOf(local.Value)))
            : clockTime;
    }

    private static LocalDateTime Max(LocalDateTime a, LocalDateTime b) => a > b ? a : b;

    // An axis ending at midnight ends with the day before it (a due date is due by its end).
    private static string Text(LocalDateTime t, bool end) => TimelineWording.When(t.TimeOfDay == LocalTime.Midnight
        ? Occurrence.On(end ? t.Date.PlusDays(-1) : t.Date)
        : Occurrence.At(London.InstantOf(t)));
}
