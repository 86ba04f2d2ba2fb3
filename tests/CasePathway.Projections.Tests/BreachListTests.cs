using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Host.Features.BreachList;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// The breach list on Friday 16 September 2022 at 10:00. Monday 19 September 2022 was a bank holiday
/// (the State Funeral), so the next working day after that Friday is Tuesday 20th.
/// </summary>
public class BreachListTests : IAsyncLifetime
{
    private const string T = "BL";
    private static readonly NodaTime.Instant Now = At("2022-09-16T10:00");
    private ProjectionDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync();
        await _db.Store.AppendAsync(
            // Referral decisions: 1 working day.
            E(T, "overdue", "2022-09-13T09:00", new CaseAllocated("Team A", "ann")),
            E(T, "overdue", "2022-09-13T10:00", new ReferralReceived("R1")),              // due Wed 14: 2 WD overdue
            E(T, "today", "2022-09-15T10:00", new CaseAllocated("Team B", "bob")),
            E(T, "today", "2022-09-15T11:00", new ReferralReceived("R2")),                // due Fri 16: due today
            E(T, "tuesday", "2022-09-16T09:00", new CaseAllocated("Team A", "bob")),
            E(T, "tuesday", "2022-09-16T09:30", new ReferralReceived("R3")),              // due Tue 20 (weekend + holiday)
            E(T, "hours", "2022-09-13T15:00", new ContactReceived("K1", ContactRoute.Mash)), // 72 WH: due Fri 16 15:00
            E(T, "stopped", "2022-09-13T10:00", new ReferralReceived("R4")),
            E(T, "stopped", "2022-09-15T10:00", new ReferralDecisionMade("R4", ReferralOutcome.Assessment)),
            E(T, "annex", "2022-09-12", new ReferralReceived("R5"), recorded: "2022-09-12T18:00", source: "annex-a"),
            E(T, "annex", "2022-09-13", new AssessmentStarted("A5"), recorded: "2022-09-13T18:00", source: "annex-a"),
            E(T, "cancelled", "2022-08-01T10:00", new Section47Started("S1")),
            E(T, "cancelled", "2022-08-03T10:00", new Section47Completed("S1", IcpcRequired: false)),
            // Another tenant with the same child ids must never appear.
            E("OTHER", "overdue", "2022-09-01T10:00", new ReferralReceived("R1")));
        await _db.CatchUpAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<BreachList> List(int within = 0, string? team = null, string? worker = null, string? rule = null, NodaTime.Instant? asAt = null) =>
        new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(new BreachListRequest(T, asAt, team, worker, rule, within));

    private static string Line(BreachRow r) => $"{r.Child} {r.Rule} {r.Status.Name()} {r.Remaining}";

    [Fact]
    public async Task Due_today_lists_breached_and_due_today_sorted_by_time_left_in_each_clocks_unit()
    {
        var list = await List();
        list.EvaluatedAt.ShouldBe(Now);
        list.IsAsAt.ShouldBeFalse();
        list.Rows.Select(Line).ShouldBe([
            "overdue referral-decision breached 2 working days overdue",
            "hours mash-screening running 5 working hours left",
            "today referral-decision running due today",
        ]);
        list.CountsByRule.ShouldBe(new Dictionary<string, int> { ["mash-screening"] = 1, ["referral-decision"] = 2 });
        list.Rows.ShouldAllBe(r => r.Tenant == T);
    }

    [Fact]
    public async Task Within_one_working_day_reaches_over_the_weekend_and_the_bank_holiday_to_Tuesday()
    {
        var list = await List(within: 1);
        list.Rows.Select(Line).ShouldBe([
            "overdue referral-decision breached 2 working days overdue",
            "hours mash-screening running 5 working hours left",
            "today referral-decision running due today",
            "tuesday referral-decision running 1 working day left",
        ]);
        list.Rows[^1].Due.ShouldBe("2022-09-20");
        list.CountsByRule["referral-decision"].ShouldBe(3);
    }

    [Fact]
    public async Task Stopped_cancelled_and_not_measurable_clocks_are_never_listed()
    {
        var list = await List(within: 60);
        list.Rows.ShouldNotContain(r => r.Child == "stopped" && r.Rule == "referral-decision");
        list.Rows.ShouldNotContain(r => r.Child == "cancelled");
        list.Rows.ShouldNotContain(r => r.Child == "annex" && r.Rule == "referral-decision");
        // Annex A cannot link an assessment to its referral either (rulebook cannotLink), so that clock is not
        // listed; the assessment's own duration clock can be measured from Annex A, and is.
        list.Rows.ShouldNotContain(r => r.Child == "annex" && r.Rule == "assessment");
        list.Rows.ShouldContain(r => r.Child == "annex" && r.Rule == "assessment-duration", "the annex child's measurable clock is listed within 60 days");
        list.Rows.Select(r => r.OverdueFrom).ShouldBeInOrder(SortDirection.Ascending);
        list.Rows.ShouldAllBe(r => r.Status == ClockStatus.Breached || r.Status == ClockStatus.Running);
    }

    [Theory]
    [InlineData("Team A", null, null, "overdue,tuesday")]
    [InlineData(null, "bob", null, "today,tuesday")]
    [InlineData("Team A", "bob", null, "tuesday")]
    [InlineData(null, null, "mash-screening", "hours")]
    [InlineData("Team B", null, "mash-screening", "")]
    public async Task Filters_by_team_worker_and_rule(string? team, string? worker, string? rule, string children)
    {
        var list = await List(within: 1, team: team, worker: worker, rule: rule);
        string.Join(",", list.Rows.Select(r => r.Child)).ShouldBe(children);
        list.CountsByRule.Values.Sum().ShouldBe(list.Rows.Count);
    }

    [Fact]
    public async Task The_injected_clock_fixes_the_instant_an_hour_later_the_hour_clock_has_4_hours_left()
    {
        var query = new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(At("2022-09-16T11:00")));
        var list = await query.GetAsync(new BreachListRequest(T));
        list.Rows.Single(r => r.Child == "hours").Remaining.ShouldBe("4 working hours left");
        var later = await new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(At("2022-09-16T17:30"))).GetAsync(new BreachListRequest(T));
        var hours = later.Rows.Single(r => r.Child == "hours");
        hours.Status.ShouldBe(ClockStatus.Breached);
        hours.Remaining.ShouldBe("2.5 working hours overdue");
    }

    [Fact]
    public async Task On_Tuesday_the_overdue_count_skips_the_weekend_and_bank_holiday()
    {
        var list = await List(asAt: null);
        var tuesday = await new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(At("2022-09-20T09:00"))).GetAsync(new BreachListRequest(T));
        // Due Wed 14: Thu 15, Fri 16, Tue 20 are the working days since.
        tuesday.Rows.Single(r => r.Child == "overdue" && r.Rule == "referral-decision").Remaining.ShouldBe("3 working days overdue");
        tuesday.Rows.Single(r => r.Child == "tuesday").Remaining.ShouldBe("due today");
        list.Rows.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Negative_within_is_refused_naming_the_field()
    {
        var e = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => List(within: -1));
        e.Message.ShouldContain("within");
    }
}
