using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Output;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// A clock's elapsed amount read back from the clock versions (report clocks, the API) is the fold's own:
/// a cancelled hour clock counts to the cancel's instant, hours keep two places, half away from zero.
/// </summary>
public class ElapsedReadTests : IAsyncLifetime
{
    private const string T = "EL";
    private static readonly NodaTime.Instant Now = At("2024-01-10T12:00");
    private ProjectionDatabase _db = null!;
    private readonly List<PathwayEvent> _events = [];

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync();
        // declined: returned Tue 1 Aug 2023 09:32, interview declined Tue 29 Aug 09:32 — exactly 28 days.
        _events.Add(E(T, "declined", "2023-08-01T09:32", new ChildReturned("M1")));
        _events.Add(E(T, "declined", "2023-08-29T09:32", new ReturnInterviewDeclined("M1")));
        // declined-on-date: the decline known only by its date, the day after the return: 00:00 of that date.
        _events.Add(E(T, "declined-on-date", "2023-08-01T09:32", new ChildReturned("M1")));
        _events.Add(E(T, "declined-on-date", "2023-08-02", new ReturnInterviewDeclined("M1")));
        // almost: 71 h 58 m 48 s — 71.98 hours, which one decimal place showed as 72.
        _events.Add(E(T, "almost", "2023-03-01T09:00", new ChildReturned("M1")));
        _events.Add(E(T, "almost", "2023-03-04T08:58:48", new ReturnInterviewCompleted("M1")));
        // long: 10115 h 15 m, which one place, rounded to even, showed as 10115.2.
        _events.Add(E(T, "long", "2022-01-01T00:00", new ChildReturned("M1")));
        _events.Add(E(T, "long", "2023-02-26T11:15", new ReturnInterviewCompleted("M1")));
        // same-day: a timed contact screened on a date-only day: elapsed 0, never negative.
        _events.Add(E(T, "same-day", "2023-03-01T15:00", new ContactReceived("K1", ContactRoute.Mash)));
        _events.Add(E(T, "same-day", "2023-03-01", new ContactScreened("K1", ScreeningOutcome.Nfa)));
        await _db.Store.AppendAsync([.. _events]);
        await _db.CatchUpAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<ClockView> Report(string child, string rule, NodaTime.Instant? asAt = null) =>
        (await new ClockReportQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(T, asAt, child)).Single(c => c.Rule == rule);

    private async Task<ClockView> Replay(string child, string rule) =>
        (await new ChildReplayQuery(_db.Store, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(T, child))!.Clocks.Single(c => c.Rule == rule);

    [Theory]
    [InlineData("declined", "return-interview", "cancelled", 672)]
    [InlineData("declined-on-date", "return-interview", "cancelled", 14.47)] // 09:32 to 00:00 the next day
    [InlineData("almost", "return-interview", "met", 71.98)]
    [InlineData("long", "return-interview", "late", 10115.25)]
    [InlineData("same-day", "mash-screening", "met", 0)]
    public async Task The_report_and_the_replay_give_the_folds_elapsed(string child, string rule, string status, double elapsed)
    {
        var folded = ClockFold.Fold(_events.Where(e => e.Child == child), Rulebook.Default, WorkingCalendar.EnglandAndWales(), Now).Clocks.Single(c => c.Rule == rule);
        var report = await Report(child, rule);
        var replay = await Replay(child, rule);

        folded.Elapsed.ShouldBe((decimal)elapsed);
        (report.Status.Name(), report.Elapsed).ShouldBe((status, (decimal)elapsed));
        (replay.Status.Name(), replay.Elapsed).ShouldBe((status, (decimal)elapsed));
        report.Stopped.ShouldBe(status == "cancelled" ? null : replay.Stopped, "a cancelled clock shows no stop");
    }

    [Fact]
    public async Task A_cancelled_clocks_elapsed_does_not_move_with_the_instant_it_is_read_at()
    {
        (await Report("declined", "return-interview", At("2023-08-29T09:32"))).Elapsed.ShouldBe(672m);
        (await Report("declined", "return-interview", At("2023-12-25T00:00"))).Elapsed.ShouldBe(672m);
        // Before the decline had happened the clock was open: breached, counting to the instant asked about.
        var open = await Report("declined", "return-interview", At("2023-08-29T09:31"));
        (open.Status.Name(), open.Elapsed).ShouldBe(("breached", 671.98m));
    }

    [Theory]
    [InlineData("elapsed-hours", 672)]
    [InlineData("working-hours", 456)] // 19 working days (Mon 28 Aug 2023 a bank holiday) × 24
    [InlineData("working-days", 19)]
    [InlineData("calendar-months", 0)]
    public async Task A_cancelled_clock_read_back_counts_to_the_cancel_in_every_unit_family(string unit, double elapsed)
    {
        var tenant = $"EL-{unit}";
        var overrides = System.Text.Json.JsonDocument.Parse("{\"rules\": {\"return-interview\": {\"limit\": {\"amount\": 3, \"unit\": \"" + unit + "\"}}}}").RootElement;
        var tenants = new TenantDirectory([new TenantSettings(tenant, Rulebook: overrides)]);
        // The projection folds with the tenant's rulebook, so it runs in a database of its own.
        await using var db = await ProjectionDatabase.CreateAsync(tenants: tenants);
        await db.Store.AppendAsync(
            E(tenant, "declined", "2023-08-01T09:32", new ChildReturned("M1")),
            E(tenant, "declined", "2023-08-29T09:32", new ReturnInterviewDeclined("M1")));
        await db.CatchUpAsync();

        var clock = (await new ClockReportQuery(db.DataSource, tenants, new FixedClock(Now)).GetAsync(tenant)).Single();

        (clock.Unit.Name(), clock.Status.Name(), clock.Stopped, clock.Elapsed).ShouldBe((unit, "cancelled", null, (decimal)elapsed));
    }

    [Fact]
    public async Task A_date_only_screening_of_an_hour_rule_is_shown_at_00_00()
    {
        var clock = await Report("same-day", "mash-screening");
        (clock.Started, clock.Stopped).ShouldBe(("2023-03-01T15:00", "2023-03-01T00:00"));
    }
}

/// <summary>The breach list's "time left", counted and rounded as every elapsed amount is.</summary>
public class RemainingTextTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();

    [Theory]
    // 72 working hours from Wed 1 Mar 2023 09:00: due Mon 6 Mar 09:00.
    [InlineData("working-hours", "2023-03-06T08:59", "0.02 working hours left")]
    [InlineData("working-hours", "2023-03-06T09:00", "0 working hours left")]
    [InlineData("working-hours", "2023-03-06T09:01", "0.02 working hours overdue")]
    [InlineData("working-hours", "2023-03-03T23:00", "10 working hours left")] // the weekend is not counted
    // 72 hours from Wed 1 Mar 2023 09:00: due Sat 4 Mar 09:00.
    [InlineData("elapsed-hours", "2023-03-04T08:59:42", "0.01 hours left")] // 18 seconds: 0.005, away from zero
    [InlineData("elapsed-hours", "2023-03-04T10:00", "1 hour overdue")]
    public void Hours_left_have_two_places(string unit, string now, string remaining)
    {
        var due = Calendar.Due(Occ("2023-03-01T09:00"), new Limit(72, TimeUnitNames.Parse(unit)!.Value));
        ClockText.Remaining(Calendar, due, At(now)).ShouldBe(remaining);
    }
}
