using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.LateRecordings;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

public class RetractionAndTenantTests : IAsyncLifetime
{
    private static readonly NodaTime.Instant Now = At("2022-10-28T12:00");
    private ProjectionDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ProjectionDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task ProjectAsync(params PathwayEvent[] events)
    {
        await _db.Store.AppendAsync(events);
        await _db.CatchUpAsync();
    }

    private Task<IReadOnlyList<ClockView>> Report(string tenant, NodaTime.Instant? asAt = null) =>
        new ClockReportQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(tenant, asAt);

    private Task<BreachList> Breaches(string tenant, NodaTime.Instant? asAt = null) =>
        new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(new BreachListRequest(tenant, asAt));

    private Task<ChildPathway?> Replay(string tenant, string child, NodaTime.Instant? asAt = null) =>
        new ChildReplayQuery(_db.Store, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(tenant, child, asAt);

    [Fact]
    public async Task A_retracted_start_leaves_no_clock_in_the_list_the_report_or_the_replay()
    {
        var start = E("LA", "C1", "2022-10-03T10:00", new Section47Started("S1"));
        await ProjectAsync(start);
        (await Breaches("LA")).Rows.ShouldHaveSingleItem().Rule.ShouldBe("icpc");

        await ProjectAsync(Retract("LA", "C1", "2022-10-27T10:00", start));
        (await Report("LA")).ShouldBeEmpty();
        (await Breaches("LA")).Rows.ShouldBeEmpty();
        var replay = (await Replay("LA", "C1"))!;
        replay.Clocks.ShouldBeEmpty();
        replay.Timeline.Single(e => e.Id == start.Id).Retracted.ShouldBeTrue();
        // As at before the retraction was recorded, the clock was there and breached.
        (await Breaches("LA", At("2022-10-26T12:00"))).Rows.ShouldHaveSingleItem().Status.ShouldBe(ClockStatus.Breached);
        (await Replay("LA", "C1", At("2022-10-26T12:00")))!.Clocks.ShouldHaveSingleItem().Status.ShouldBe(ClockStatus.Breached);
    }

    [Fact]
    public async Task A_retracted_stop_opens_the_clock_again()
    {
        var held = E("LA", "C2", "2022-10-10T10:00", new InitialChildProtectionConferenceHeld("S2"));
        await ProjectAsync(E("LA", "C2", "2022-10-03T10:00", new Section47Started("S2")), held);
        (await Report("LA")).Single(c => c.Rule == "icpc").Status.ShouldBe(ClockStatus.Met);
        (await Breaches("LA")).Rows.ShouldBeEmpty();

        await ProjectAsync(Retract("LA", "C2", "2022-10-27T10:00", held));
        var icpc = (await Report("LA")).Single(c => c.Rule == "icpc");
        (icpc.Status.Name(), icpc.Stopped).ShouldBe(("breached", null));
        (await Breaches("LA")).Rows.ShouldHaveSingleItem().Child.ShouldBe("C2");
        var replay = (await Replay("LA", "C2"))!;
        replay.Clocks.Single(c => c.Rule == "icpc").Status.ShouldBe(ClockStatus.Breached);
        // Retracting the retraction restores the stop.
        var retraction = (await _db.Store.ReadStreamAsync("LA", "C2")).Last();
        await ProjectAsync(E("LA", "C2", "2022-10-28T09:00", new EventRetracted(retraction.Id)));
        (await Report("LA")).Single(c => c.Rule == "icpc").Status.ShouldBe(ClockStatus.Met);
    }

    [Fact]
    public async Task An_unrelated_later_recording_adds_no_version_to_an_open_clock_and_no_stored_text_depends_on_when_it_was_folded()
    {
        await ProjectAsync(E("LA", "C3", "2022-10-03T10:00", new ReferralReceived("R3")));
        await ProjectAsync(E("LA", "C3", "2022-10-05T10:00", new ChildSeen(ReferralId: "R3"), recorded: "2022-10-06T10:00"));
        await ProjectAsync(E("LA", "C3", "2022-10-07T10:00", new ChildSeen(ReferralId: "R3")));
        (await _db.ScalarAsync("select count(*) from clock_versions where child = 'C3' and rule = 'assessment'")).ShouldBe(1);
        (await _db.ScalarAsync("select count(*) from clock_versions where child = 'C3' and rule = 'referral-decision'")).ShouldBe(1);
        (await _db.ScalarAsync("select count(*) from clock_versions where explanation like '%Still open%'")).ShouldBe(0);
    }

    [Fact]
    public async Task An_event_stamped_on_receipt_before_it_occurs_counts_once_it_has_occurred()
    {
        // A live append without recordedAt is stamped with the receipt time, here before the occurrence.
        var future = NodaTime.SystemClock.Instance.GetCurrentInstant() + NodaTime.Duration.FromDays(3);
        var start = new PathwayEvent(Guid.NewGuid(), "LA", "C4", Occ("2022-10-03T10:00"), new Section47Started("S4"), At("2022-10-03T10:00"));
        var held = new PathwayEvent(Guid.NewGuid(), "LA", "C4", CasePathway.Domain.Time.Occurrence.At(future), new InitialChildProtectionConferenceHeld("S4"));
        await ProjectAsync(start, held);
        var versions = await _db.RowsAsync("select stopped_at, known_to from clock_versions where child = 'C4' and rule = 'icpc' order by known_from");
        versions.Count.ShouldBe(2, "open until the conference happens, stopped from then on");
        versions[^1].ShouldContain("known_to=∅");
        versions[^1].ShouldNotContain("stopped_at=∅");
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_child_with_the_same_id()
    {
        await ProjectAsync(
            E("A", "C1", "2022-10-03T09:00", new CaseAllocated("A team", "a worker")),
            E("A", "C1", "2022-10-03T10:00", new Section47Started("SA")),
            E("B", "C1", "2022-10-25T09:00", new CaseAllocated("B team", "b worker")),
            E("B", "C1", "2022-10-25T10:00", new ReferralReceived("RB")));

        var a = await Breaches("A");
        a.Rows.ShouldHaveSingleItem().Rule.ShouldBe("icpc");
        var b = await Breaches("B");
        b.Rows.ShouldAllBe(r => r.Tenant == "B" && r.Team == "B team");
        b.Rows.ShouldNotContain(r => r.Rule == "icpc");
        (await Breaches("B", Now)).Rows.ShouldNotContain(r => r.Rule == "icpc");
        (await Report("B")).ShouldAllBe(c => c.Tenant == "B" && c.Rule != "icpc");
        (await Report("B", Now)).ShouldAllBe(c => c.Tenant == "B" && c.Rule != "icpc");
        var replay = (await Replay("B", "C1"))!;
        replay.Timeline.Select(e => e.Type).ShouldBe(["CaseAllocated", "ReferralReceived"]);
        replay.Team.ShouldBe("B team");
        replay.Clocks.ShouldNotContain(c => c.Rule == "icpc");
        (await Replay("C", "C1")).ShouldBeNull();
        (await new LateRecordingsQuery(_db.DataSource).GetAsync("B", 0)).Sum(r => r.Events).ShouldBe(2);

        // Re-projecting A's child must not touch B's rows.
        await ProjectAsync(E("A", "C1", "2022-10-26T10:00", new InitialChildProtectionConferenceHeld("SA")));
        (await _db.ScalarAsync("select count(*) from child_timeline where tenant = 'B'")).ShouldBe(2);
        (await Breaches("B")).Rows.Count.ShouldBe(b.Rows.Count);
    }
}
