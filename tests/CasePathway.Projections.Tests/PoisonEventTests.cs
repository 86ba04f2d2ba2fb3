using CasePathway.Domain.Events;
using CasePathway.Host.Features.Clocks;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// An event the clock engine cannot fold (here one dated before the working calendar, stored past the door
/// as a database from before the door's limits could hold it) must not stop anyone else's read models: its
/// child is parked with the error, keeps the rows last folded for it, and every other child carries on.
/// Retracting the event through the one way in heals the child: the fold computes nothing on a retracted event,
/// so the child folds again, is unparked, and its rows equal a rebuild's.
/// </summary>
public class PoisonEventTests : IAsyncLifetime
{
    private static readonly NodaTime.Instant Now = At("2022-10-28T12:00");
    private ProjectionDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ProjectionDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<IReadOnlyList<ClockView>> Report(string tenant) =>
        new ClockReportQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(tenant);

    [Fact]
    public async Task A_child_that_cannot_be_folded_is_parked_and_every_other_child_carries_on()
    {
        var goodStart = E("LA", "C1", "2022-10-03T10:00", new Section47Started("S1"));
        var poisonedStart = E("LA", "C2", "2022-10-03T10:00", new Section47Started("S2"));
        await _db.Store.AppendAsync(goodStart, poisonedStart);
        await _db.CatchUpAsync();
        (await Report("LA")).Count.ShouldBe(2);

        // Straight into the store, past the door: the calendar covers no such year.
        var poison = E("LA", "C2", "2022-10-04T10:00", new ChildSeen(S47Id: "S2")) with
        {
            OccurredAt = Domain.Time.Occurrence.On(new NodaTime.LocalDate(1, 1, 1)),
        };
        await _db.Store.AppendAsync(poison);
        await _db.Store.AppendAsync(E("LA", "C3", "2022-10-05T10:00", new Section47Started("S3")), E("OTHER", "C1", "2022-10-05T10:00", new Section47Started("S9")));
        await _db.CatchUpAsync();

        // C2 keeps the clock folded before the poison; C3 arrived after it.
        (await Report("LA")).Select(c => c.Child).Order().ToList().ShouldBe(["C1", "C2", "C3"]);
        (await Report("OTHER")).ShouldHaveSingleItem();
        // Parked by every projection whose fold it breaks (the clocks' does; indicator facts may not need the date).
        var parked = await _db.RowsAsync("select projection, tenant, child from parked_children order by projection");
        parked.ShouldContain(r => r.Contains("pathways") && r.Contains("C2"));
        parked.ShouldAllBe(r => r.Contains("LA") && r.Contains("C2"));
    }

    [Fact]
    public async Task Retracting_the_poison_event_through_the_one_way_in_unparks_the_child_and_the_read_models_equal_a_rebuild()
    {
        var start = E("LA", "C2", "2022-10-03T10:00", new Section47Started("S2"));
        await _db.Store.AppendAsync(start, E("LA", "C1", "2022-10-03T10:00", new Section47Started("S1")));
        var poison = E("LA", "C2", "2022-10-04T10:00", new ChildSeen(S47Id: "S2")) with
        {
            OccurredAt = Domain.Time.Occurrence.On(new NodaTime.LocalDate(1, 1, 1)),
        };
        await _db.Store.AppendAsync(poison);
        await _db.CatchUpAsync();
        (await _db.RowsAsync("select child from parked_children where projection = 'pathways'")).ShouldBe(["child=C2"]);

        // The contract's retraction, through the appender as the API and the importers send it.
        var appender = _db.Appender(clock: new FixedClock(Now));
        var outcome = await appender.AppendAsync(
            [Retract("LA", "C2", "2022-10-05T10:00", poison, recorded: "2022-10-05T10:00")],
            Store.Pathways.AppendSource.Live, allOrNothing: true);
        outcome.Refused.ShouldBeFalse(string.Join("; ", outcome.Events.SelectMany(e => e.Problems)));
        await _db.CatchUpAsync();

        (await _db.RowsAsync("select child from parked_children")).ShouldBeEmpty("the retraction healed the child");
        (await Report("LA")).Where(c => c.Child == "C2").ShouldNotBeEmpty();
        var live = await _db.DumpAsync();
        await _db.RebuildAsync();
        await _db.RebuildAsync(CasePathway.Projections.Scorecard.IndicatorFactsProjection.ProjectionName);
        var rebuilt = await _db.DumpAsync();
        live.ClockVersions.ShouldBe(rebuilt.ClockVersions);
        live.Timeline.ShouldBe(rebuilt.Timeline);
        (await _db.RowsAsync("select child from parked_children")).ShouldBeEmpty("a rebuild parks nothing either");
    }

    [Fact]
    public async Task Retrying_a_parked_child_refolds_it_and_keeps_it_parked_while_the_fold_still_fails()
    {
        var start = E("LA", "C2", "2022-10-03T10:00", new Section47Started("S2"));
        var poison = E("LA", "C2", "2022-10-04T10:00", new ChildSeen(S47Id: "S2")) with
        {
            OccurredAt = Domain.Time.Occurrence.On(new NodaTime.LocalDate(1, 1, 1)),
        };
        await _db.Store.AppendAsync(start, poison);
        await _db.CatchUpAsync();
        var parked = await _db.Control.ParkedAsync(tenant: "LA");
        parked.ShouldHaveSingleItem().Child.ShouldBe("C2");
        parked[0].Error.ShouldContain("calendar");

        (await _db.Control.RetryAsync("LA", "C2")).ShouldContain(r => r.Projection == "pathways" && r.StillParked);
        (await _db.Control.ParkedAsync(tenant: "LA")).Count.ShouldBe(parked.Count);
        (await _db.Control.ParkedAsync(tenant: "OTHER")).ShouldBeEmpty();

        // Once the child's rows fold (here: its parked row is stale, the stream is fine), a retry clears it.
        await _db.Store.AppendAsync(E("LA", "C9", "2022-10-03T10:00", new Section47Started("S9")));
        await _db.CatchUpAsync();
        await using (var cmd = _db.DataSource.CreateCommand(
            "insert into parked_children (projection, tenant, child, error) values ('pathways', 'LA', 'C9', 'stale')"))
            await cmd.ExecuteNonQueryAsync();
        (await _db.Control.RetryAsync("LA", "C9")).ShouldAllBe(r => !r.StillParked);
        (await _db.Control.ParkedAsync(tenant: "LA")).Select(p => p.Child).ShouldNotContain("C9");
        (await Report("LA")).Where(c => c.Child == "C9").ShouldNotBeEmpty();
    }
}
