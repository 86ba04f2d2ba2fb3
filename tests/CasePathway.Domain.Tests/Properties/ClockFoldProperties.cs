using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using CasePathway.Testing;
using CsCheck;
using NodaTime;

namespace CasePathway.Domain.Tests.Properties;

/// <summary>
/// What must hold for any pathway and any rule (docs/conventions.md, docs/rulebook.md), checked on random
/// pathways (<see cref="RandomPathways"/>). The oracles count the conventions naively, day by day, apart from
/// the engine's code. A failure prints the shrunk pathway and the seed to replay it.
/// </summary>
public class ClockFoldProperties
{
    private const long Iterations = 1000;
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();
    private static readonly Rulebook Book = Rulebook.Default;

    private static IReadOnlyList<Clock> Fold(IEnumerable<PathwayEvent> events, Instant at) =>
        ClockFold.Fold(events, Book, Calendar, at).Clocks.OrderBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.Episode, StringComparer.Ordinal).ToList();

    private sealed record Arrival(RandomPathway Pathway, PathwayEvent[] Shuffled)
    {
        public override string ToString() => $"{Pathway}\narriving as: {string.Join(", ", Shuffled.Select(e => e.Id.ToString("N")[..8]))}";
    }

    [Fact]
    public void Any_permutation_of_arrival_gives_the_same_clocks_and_allocation() =>
        RandomPathways.WithInstant.SelectMany(p => Gen.Shuffle(p.Events.ToArray()).Select(s => new Arrival(p, s)))
            .Sample(a =>
            {
                var (p, shuffled) = (a.Pathway, a.Shuffled);
                Fold(shuffled, p.At).ShouldBe(Fold(p.Events, p.At));
                ClockFold.Fold(shuffled, Book, Calendar, p.At).Allocation.ShouldBe(ClockFold.Fold(p.Events, Book, Calendar, p.At).Allocation);
            }, iter: Iterations, print: a => a.ToString());

    [Fact]
    public void A_stop_no_later_than_due_is_met_a_later_one_late_and_an_open_clock_is_breached_only_after_due() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            foreach (var c in Fold(p.Events, p.At))
            {
                var why = $"{c.Rule} {c.Episode}";
                (c.Stopped is not null && c.Cancelled is not null).ShouldBeFalse(why);
                if (c.Stopped is { } stop)
                    c.Status.ShouldBe(NoLaterThanDue(stop, c.Due) ? ClockStatus.Met : ClockStatus.Late, why);
                else if (c.Cancelled is not null)
                    c.Status.ShouldBe(ClockStatus.Cancelled, why);
                else if (!c.NotMeasurable)
                    c.Status.ShouldBe(PastDue(p.At, c.Due) ? ClockStatus.Breached : ClockStatus.Running, why);
                else
                    c.Status.ShouldBe(ClockStatus.NotMeasurable, why);
            }
        }, iter: Iterations, print: p => p.ToString());

    [Fact]
    public void Due_dates_follow_the_conventions() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            foreach (var c in Fold(p.Events, p.At))
            {
                var n = c.Limit.Amount;
                switch (c.Unit)
                {
                    case TimeUnit.WorkingDays when Published(c.Due.Date):
                        c.Due.Date.ShouldBe(NthWorkingDayAfter(c.Started.Date, n), $"{c.Rule} {c.Episode}");
                        break;
                    case TimeUnit.ElapsedHours:
                        c.Due.DueInstant().ShouldBe(c.Started.ToInstant() + Duration.FromHours(n), $"{c.Rule} {c.Episode}");
                        break;
                    case TimeUnit.CalendarMonths:
                        c.Due.Date.ShouldBe(c.Started.Date.PlusMonths(n), $"{c.Rule} {c.Episode}");
                        break;
                    case TimeUnit.WorkingHours when Published(c.Due.Date):
                        WorkingTicks(c.Started.LocalDateTime, c.Due.LocalDateTime!.Value).ShouldBe(n * NodaConstants.TicksPerHour, $"{c.Rule} {c.Episode}");
                        break;
                }
            }
        }, iter: Iterations, print: p => p.ToString());

    [Fact]
    public void Elapsed_is_never_negative_has_two_places_at_most_and_counts_to_the_stop_the_cancel_or_the_instant() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            foreach (var c in Fold(p.Events, p.At))
            {
                var why = $"{c.Rule} {c.Episode} from {c.Started} to {c.Stopped?.ToString() ?? c.Cancelled?.ToString() ?? "now"}";
                c.Elapsed.ShouldBeGreaterThanOrEqualTo(0m, why);
                (c.Elapsed * 100).ShouldBe(decimal.Truncate(c.Elapsed * 100), why);
                var end = c.Stopped ?? c.Cancelled ?? Occurrence.At(p.At);
                switch (c.Unit)
                {
                    case TimeUnit.WorkingDays when Published(end.Date):
                        c.Elapsed.ShouldBe(WorkingDaysIn(c.Started.Date, end.Date), why);
                        break;
                    case TimeUnit.CalendarMonths:
                        c.Elapsed.ShouldBe(WholeMonths(c.Started.Date, end.Date), why);
                        break;
                    case TimeUnit.ElapsedHours:
                        Math.Abs(c.Elapsed - (decimal)Math.Max(0, (EndInstant(c.Started, end) - c.Started.ToInstant()).TotalHours)).ShouldBeLessThanOrEqualTo(0.005m, why);
                        break;
                    case TimeUnit.WorkingHours when Published(end.Date):
                        var to = end.IsDateOnly && end.Date == c.Started.Date ? c.Started.LocalDateTime : end.LocalDateTime;
                        Math.Abs(c.Elapsed - (decimal)WorkingTicks(c.Started.LocalDateTime, to) / NodaConstants.TicksPerHour).ShouldBeLessThanOrEqualTo(0.005m, why);
                        break;
                }
            }
        }, iter: Iterations, print: p => p.ToString());

    [Fact]
    public void Nothing_occurring_after_the_instant_shows_and_no_stop_or_cancel_comes_before_its_start() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            foreach (var c in Fold(p.Events, p.At))
            {
                c.Started.ToInstant().ShouldBeLessThanOrEqualTo(p.At);
                foreach (var end in new[] { c.Stopped, c.Cancelled }.OfType<Occurrence>())
                {
                    end.ToInstant().ShouldBeLessThanOrEqualTo(p.At);
                    OccurrenceOrder.IsBefore(end, c.Started).ShouldBeFalse($"{c.Rule} {c.Episode}");
                }
            }
        }, iter: Iterations, print: p => p.ToString());

    [Fact]
    public void A_review_chain_runs_review_to_review_and_no_review_is_due_once_the_plan_has_ended_on_or_before_its_day() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            var timeline = ClockFold.Timeline(p.Events, p.At);
            var clocks = Fold(p.Events, p.At);
            foreach (var rule in Book.Enabled.Where(r => r.IsRepeating))
            {
                foreach (var chain in clocks.Where(c => c.Rule == rule.Id).GroupBy(c => c.Episode[..c.Episode.LastIndexOf('#')]))
                {
                    var ordered = chain.OrderBy(c => int.Parse(c.Episode[(c.Episode.LastIndexOf('#') + 1)..])).ToList();
                    var end = timeline.FirstOrDefault(e => rule.Cancels.Any(t => t.Matches(e) && EventFields.Read(e.Data, t.EpisodeField) == chain.Key)
                        && !OccurrenceOrder.IsBefore(e.OccurredAt, ordered[0].Started));
                    for (var n = 0; n < ordered.Count; n++)
                    {
                        var why = $"{ordered[n].Episode}, plan ended {end?.OccurredAt.ToString() ?? "never"}";
                        ordered[n].Episode.ShouldBe($"{chain.Key}#{n + 1}");
                        if (n < ordered.Count - 1) ordered[n].Stopped.ShouldNotBeNull(why);
                        if (n == 0) continue;
                        ordered[n].Started.ShouldBe(ordered[n - 1].Stopped!.Value, why);
                        if (end is not null) ordered[n].Started.Date.ShouldBeLessThan(end.OccurredAt.Date, why);
                    }
                    if (ordered[^1].Cancelled is { } cancelled) cancelled.ShouldBe(end!.OccurredAt);
                }
            }
        }, iter: Iterations, print: p => p.ToString());

    [Fact]
    public void The_stop_that_counts_is_the_first_at_or_after_the_start_and_a_cancel_counts_only_on_an_earlier_date() =>
        RandomPathways.WithInstant.Sample(p =>
        {
            var timeline = ClockFold.Timeline(p.Events, p.At);
            var links = EpisodeLinks.From(timeline, Book.Enabled.SelectMany(r => r.Stops.Concat(r.Cancels).Append(r.Start)).Select(t => t.Via).OfType<EpisodeLink>());
            var clocks = Fold(p.Events, p.At);
            foreach (var rule in Book.Enabled)
            {
                var starts = Of(timeline, [rule.Start], links).GroupBy(x => x.Episode).Select(g => g.First());
                foreach (var (start, episode) in starts)
                {
                    // The rulebook's words, step by step: the stops and the first cancel at or after the start; the
                    // n-th stop ends the n-th clock of a chain unless the cancel is on an earlier date; a chain goes
                    // on only while its plan goes on past the day of the last review.
                    var stops = Of(timeline, rule.Stops, links).Where(x => x.Episode == episode && !OccurrenceOrder.IsBefore(x.Event.OccurredAt, start.OccurredAt)).Select(x => x.Event).ToList();
                    var cancel = Of(timeline, rule.Cancels, links).FirstOrDefault(x => x.Episode == episode && !OccurrenceOrder.IsBefore(x.Event.OccurredAt, start.OccurredAt)).Event;
                    var expected = new List<(string Episode, Guid? Stop, Guid? Cancel)>();
                    for (var n = 1; ; n++)
                    {
                        var stop = n <= stops.Count ? stops[n - 1] : null;
                        var name = rule.IsRepeating ? $"{episode}#{n}" : episode;
                        if (stop is not null && (cancel is null || cancel.OccurredAt.Date >= stop.OccurredAt.Date)) expected.Add((name, stop.Id, null));
                        else expected.Add((name, null, cancel?.Id));
                        if (!rule.IsRepeating || expected[^1].Stop is null || (cancel is not null && cancel.OccurredAt.Date <= stop!.OccurredAt.Date)) break;
                    }
                    clocks.Where(c => c.Rule == rule.Id && (c.Episode == episode || c.Episode.StartsWith(episode + "#", StringComparison.Ordinal)))
                        .OrderBy(c => c.Episode.Length).ThenBy(c => c.Episode, StringComparer.Ordinal)
                        .Select(c => $"{rule.Id} {c.Episode} stopped by {c.StopEventId} cancelled by {c.CancelEventId}").ToList()
                        .ShouldBe(expected.Select(x => $"{rule.Id} {x.Episode} stopped by {x.Stop} cancelled by {x.Cancel}").ToList());
                }
            }
        }, iter: Iterations, print: p => p.ToString());

    private static List<(PathwayEvent Event, string Episode)> Of(IEnumerable<PathwayEvent> timeline, IReadOnlyList<Trigger> triggers, EpisodeLinks links) =>
        timeline.Select(e => (Event: e, Episode: triggers.Where(t => t.Matches(e)).Select(t => t.EpisodeOf(e.Data, links)).FirstOrDefault(x => x is not null)))
            .Where(x => x.Episode is not null).Select(x => (x.Event, x.Episode!)).ToList();

    /// <summary>Met by the conventions: a day or month rule on or before the due date; an hour rule at or before the due moment, a date-only stop at 00:00.</summary>
    private static bool NoLaterThanDue(Occurrence stop, Deadline due) =>
        due.IsHourBased ? stop.ToInstant() <= due.DueInstant() : stop.Date <= due.Date;

    private static bool PastDue(Instant at, Deadline due) =>
        due.IsHourBased ? at > due.DueInstant() : London.DateOf(at) > due.Date;

    private static Instant EndInstant(Occurrence start, Occurrence end) =>
        end.IsDateOnly && end.Date == start.Date ? start.ToInstant() : end.ToInstant();

    private static LocalDate NthWorkingDayAfter(LocalDate start, int n)
    {
        var day = start;
        for (var counted = 0; counted < n;)
        {
            day = day.PlusDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    private static int WorkingDaysIn(LocalDate after, LocalDate upTo)
    {
        var count = 0;
        for (var d = after.PlusDays(1); d <= upTo; d = d.PlusDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    private static int WholeMonths(LocalDate start, LocalDate end)
    {
        var n = 0;
        while (start.PlusMonths(n + 1) <= end) n++;
        return n;
    }

    /// <summary>Working time between two London local times, day by day: all 24 hours of each working day.</summary>
    private static long WorkingTicks(LocalDateTime from, LocalDateTime to)
    {
        long ticks = 0;
        for (var day = from.Date; day <= to.Date; day = day.PlusDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            var dayStart = day.AtMidnight();
            var dayEnd = day.PlusDays(1).AtMidnight();
            var a = from > dayStart ? from : dayStart;
            var b = to < dayEnd ? to : dayEnd;
            if (b > a) ticks += Period.Between(a, b, PeriodUnits.Ticks).Ticks;
        }
        return ticks;
    }

    // Weekends and gov.uk's published England and Wales bank holidays, read straight from the data file rather
    // than through the calendar under test. Counts reaching past the published years are not checked here.
    private static bool Published(LocalDate d) => d.Year <= 2027;

    private static bool IsWorkingDay(LocalDate d) =>
        d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !BankHolidays.Contains(d);

    private static readonly HashSet<LocalDate> BankHolidays = LoadBankHolidays();

    private static HashSet<LocalDate> LoadBankHolidays()
    {
        var path = Path.Combine(RepositoryPaths.Root, "src", "CasePathway.Domain", "Calendar", "Data", "england-and-wales-2012-2027.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var dates = new HashSet<LocalDate>();
        foreach (var e in Find(doc.RootElement))
            dates.Add(OccurrenceText.ParseDate(e)!.Value);
        return dates;

        static IEnumerable<string> Find(System.Text.Json.JsonElement element)
        {
            if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Name == "date" && p.Value.ValueKind == System.Text.Json.JsonValueKind.String) yield return p.Value.GetString()!;
                    else foreach (var d in Find(p.Value)) yield return d;
                }
            }
            else if (element.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) foreach (var d in Find(item)) yield return d;
            }
        }
    }
}
