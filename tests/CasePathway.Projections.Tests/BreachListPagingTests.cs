using CasePathway.Domain.Events;
using CasePathway.Host.Features.BreachList;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// The breach list a page at a time, on Friday 16 September 2022 at 10:00: 150 children across three teams
/// (and some unallocated), five workers, referral decisions (days) and MASH screenings (hours), some breached
/// and some due soon. Every page, sort and filter is checked against the whole list the export streams.
/// </summary>
public class BreachListPagingTests : IAsyncLifetime
{
    private const string T = "PG";
    private const int Children = 150;
    private static readonly NodaTime.Instant Now = At("2022-09-16T10:00");
    private ProjectionDatabase _db = null!;
    private BreachListQuery _query = null!;

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync();
        var events = new List<PathwayEvent>();
        for (var i = 0; i < Children; i++)
        {
            var child = $"c{i:000}";
            // due soon (received today, due Tuesday after the bank holiday) or breached (received 1..12 Sept)
            var day = i % 6 == 0 ? 16 : 1 + i % 12;
            var when = $"2022-09-{day:00}T{8 + i % 2:00}:{i % 60:00}";
            if (i % 7 != 0) events.Add(E(T, child, $"2022-09-{day:00}T07:00", new CaseAllocated($"Team {(char)('A' + i % 3)}", $"w{i % 5}")));
            events.Add(E(T, child, when, new ReferralReceived($"R{i}")));
            if (i % 4 == 0) events.Add(E(T, child, when, new ContactReceived($"K{i}", ContactRoute.Mash)));
        }
        await _db.Store.AppendAsync(events.ToArray());
        await _db.CatchUpAsync();
        _query = new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static BreachListRequest Request(BreachSort sort = BreachSort.Due, bool descending = false, int page = 1, int pageSize = 50,
        string? team = null, string? worker = null, string? rule = null, BreachStatusFilter status = BreachStatusFilter.Any) =>
        new(T, null, team, worker, rule, 5, status, sort, descending, page, pageSize);

    private async Task<List<BreachRow>> Whole(BreachListRequest request) => await _query.StreamAsync(request).ToListAsync();

    private static string Key(BreachRow r) => $"{r.Child}/{r.Rule}/{r.Episode}";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(200)]
    public async Task Pages_follow_each_other_without_gap_or_overlap_and_count_the_whole_list(int pageSize)
    {
        var whole = await Whole(Request());
        whole.Count.ShouldBeGreaterThan(150, "each child has a referral clock and every fourth a screening clock too");
        var first = await _query.GetAsync(Request(pageSize: pageSize));
        first.Total.ShouldBe(whole.Count);
        first.TotalPages.ShouldBe((whole.Count + pageSize - 1) / pageSize);
        var paged = new List<BreachRow>();
        for (var page = 1; page <= first.TotalPages; page++)
        {
            var list = await _query.GetAsync(Request(page: page, pageSize: pageSize));
            list.Page.ShouldBe(page);
            list.PageSize.ShouldBe(pageSize);
            list.Rows.Count.ShouldBe(page < first.TotalPages ? pageSize : whole.Count - (page - 1) * pageSize);
            list.Total.ShouldBe(whole.Count);
            paged.AddRange(list.Rows);
        }
        paged.Select(Key).ShouldBe(whole.Select(Key));
        var past = await _query.GetAsync(Request(page: first.TotalPages + 1, pageSize: pageSize));
        past.Rows.ShouldBeEmpty();
        past.Total.ShouldBe(whole.Count);
    }

    [Fact]
    public async Task Counts_by_rule_and_by_team_are_the_whole_filtered_list_not_the_page()
    {
        foreach (var request in new[] { Request(pageSize: 10), Request(pageSize: 10, status: BreachStatusFilter.DueSoon), Request(pageSize: 10, worker: "w2"), Request(pageSize: 10, rule: "mash-screening") })
        {
            var whole = await Whole(request);
            var list = await _query.GetAsync(request);
            list.Total.ShouldBe(whole.Count);
            list.CountsByRule.ShouldBe(whole.GroupBy(r => r.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
            list.CountsByTeam.ShouldBe(whole.GroupBy(r => r.Team ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
            list.CountsByTeam.Values.Sum().ShouldBe(whole.Count);
        }
        (await _query.GetAsync(Request())).CountsByTeam.Keys.ShouldBe(["", "Team A", "Team B", "Team C"], "unallocated clocks are counted under the empty team");
    }

    public static TheoryData<BreachSort, bool> Sorts()
    {
        var data = new TheoryData<BreachSort, bool>();
        foreach (var sort in BreachSorts.All) { data.Add(sort, false); data.Add(sort, true); }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Every_sort_orders_the_whole_list_in_both_directions_and_pages_agree_with_it(BreachSort sort, bool descending)
    {
        var whole = await Whole(Request(sort, descending));
        Func<BreachRow, string> by = sort switch
        {
            BreachSort.Child => r => r.Child,
            BreachSort.Team => r => r.Team ?? "\uffff", // unallocated last when ascending
            BreachSort.Worker => r => r.Worker ?? "\uffff",
            BreachSort.Rule => r => r.Rule,
            _ => r => r.OverdueFrom.ToUnixTimeTicks().ToString("D20"),
        };
        var reversed = sort == BreachSort.Overdue ? !descending : descending; // most overdue first is earliest overdue first
        whole.Select(by).ShouldBeInOrder(reversed ? SortDirection.Descending : SortDirection.Ascending, StringComparer.Ordinal);
        var pages = new List<BreachRow>();
        var totalPages = (await _query.GetAsync(Request(sort, descending, 1, 45))).TotalPages;
        totalPages.ShouldBe((whole.Count + 44) / 45);
        for (var page = 1; page <= totalPages; page++) pages.AddRange((await _query.GetAsync(Request(sort, descending, page, 45))).Rows);
        pages.Select(Key).ShouldBe(whole.Select(Key));
    }

    [Fact]
    public async Task Status_splits_the_list_into_breached_and_due_soon()
    {
        var all = await Whole(Request());
        var breached = await Whole(Request(status: BreachStatusFilter.Breached));
        var dueSoon = await Whole(Request(status: BreachStatusFilter.DueSoon));
        breached.ShouldNotBeEmpty();
        dueSoon.ShouldNotBeEmpty();
        breached.ShouldAllBe(r => r.Status == CasePathway.Domain.Clocks.ClockStatus.Breached && r.OverdueFrom <= Now);
        dueSoon.ShouldAllBe(r => r.Status == CasePathway.Domain.Clocks.ClockStatus.Running && r.OverdueFrom > Now);
        breached.Concat(dueSoon).Select(Key).Order().ShouldBe(all.Select(Key).Order());
    }

    [Fact]
    public async Task Filters_combine_and_page_the_same_way()
    {
        var request = Request(team: "Team B", worker: "w1", rule: "referral-decision", pageSize: 3);
        var whole = await Whole(request);
        whole.ShouldNotBeEmpty();
        whole.ShouldAllBe(r => r.Team == "Team B" && r.Worker == "w1" && r.Rule == "referral-decision");
        var expected = (await Whole(Request())).Where(r => r.Team == "Team B" && r.Worker == "w1" && r.Rule == "referral-decision").Select(Key);
        whole.Select(Key).ShouldBe(expected);
        (await _query.GetAsync(request)).Rows.Select(Key).ShouldBe(whole.Take(3).Select(Key));
    }

    [Fact]
    public async Task A_year_old_screening_breach_is_said_in_working_days()
    {
        var later = new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(At("2023-09-15T10:00")));
        var row = (await later.GetAsync(new BreachListRequest(T, Rule: "mash-screening", PageSize: 1))).Rows.Single();
        row.Remaining.ShouldEndWith("working days overdue");
        int.Parse(row.Remaining.Split(' ')[0]).ShouldBeInRange(240, 260);
    }
}
