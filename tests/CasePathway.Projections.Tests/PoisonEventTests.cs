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
/// (Not yet: retracting such an event does not unpark the child, because the fold still reads the retracted
/// event's date; the door now refuses these dates at every way in.)
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
}
