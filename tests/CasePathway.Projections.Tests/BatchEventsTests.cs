using CasePathway.Domain.Events;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using CasePathway.Store.Marten;
using Marten;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// The daemon folds a child that begins in its batch from the batch's own events, and reads the others again
/// (<see cref="MartenEventStore.StreamsOfBatch"/>): a child begun in an earlier batch must still be folded
/// from its whole stream, and the batch's events must map exactly as a read of the stream maps them.
/// </summary>
public class BatchEventsTests
{
    [Fact]
    public async Task A_late_recorded_event_for_a_child_begun_in_an_earlier_batch_refolds_the_whole_child()
    {
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 1000);
        await db.Store.AppendAsync(
            E("LA", "C1", "2022-10-03T09:00", new CaseAllocated("MASH", "w1")),
            E("LA", "C1", "2022-10-03T09:10", new ContactReceived("K1", ContactRoute.Mash)),
            E("LA", "C1", "2022-10-04T11:00", new ContactScreened("K1", ScreeningOutcome.Referral)),
            E("LA", "C1", "2022-10-04T11:05", new ReferralReceived("R1", "K1")));
        await db.CatchUpAsync();
        var before = await db.RowsAsync("select * from clock_versions where child = 'C1' and rule = 'referral-decision'");
        before.ShouldNotBeEmpty();

        // The next batch: the referral's decision, recorded a week late, for C1 (versions 5 on), and a child that
        // begins in this batch.
        await db.Store.AppendAsync(
            E("LA", "C1", "2022-10-05T10:00", new ReferralDecisionMade("R1", ReferralOutcome.StrategyDiscussion), recorded: "2022-10-12T15:00"),
            E("LA", "C2", "2022-10-03T10:00", new CaseAllocated("Team A", "w2")),
            E("LA", "C2", "2022-10-03T10:30", new StrategyDiscussionRequested("SD1")));
        await db.CatchUpAsync();

        // Folded from the batch alone, C1 would keep only its decision: no timeline for its first four events, and
        // no referral clock for the decision to stop.
        (await db.ScalarAsync("select count(*) from child_timeline where child = 'C1'")).ShouldBe(5);
        (await db.ScalarAsync("select count(*) from clock_versions where child = 'C1' and rule = 'referral-decision' and stopped_at is not null")).ShouldBeGreaterThan(0);
        await ShouldEqualARebuildAsync(db);
    }

    [Fact]
    public async Task A_retraction_in_a_later_batch_and_one_in_the_same_batch_as_its_event_both_fold_as_a_rebuild_does()
    {
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 1000);
        var s47 = E("LA", "C2", "2022-10-04T10:00", new Section47Started("S1"));
        await db.Store.AppendAsync(E("LA", "C2", "2022-10-03T10:00", new CaseAllocated("Team A", "w2")), s47);
        await db.CatchUpAsync();
        (await db.ScalarAsync("select count(*) from clock_versions where child = 'C2' and known_to is null")).ShouldBeGreaterThan(0);

        // C2's retraction arrives in the next batch; C3 begins and is retracted within it.
        var icpc = E("LA", "C3", "2022-10-20T10:00", new InitialChildProtectionConferenceHeld("S3"));
        await db.Store.AppendAsync(
            Retract("LA", "C2", "2022-10-06T12:00", s47),
            E("LA", "C3", "2022-10-03", new Section47Started("S3")),
            icpc,
            Retract("LA", "C3", "2022-10-24T10:00", icpc));
        await db.CatchUpAsync();

        (await db.RowsAsync("select retracted from child_timeline where child = 'C2' order by seq"))
            .ShouldBe(["retracted=False", "retracted=True", "retracted=False"]);
        (await db.RowsAsync("select retracted from child_timeline where child = 'C3' order by seq"))
            .ShouldBe(["retracted=False", "retracted=True", "retracted=False"]);
        // C2's S47 clock is gone from now on; C3's ICPC clock is open again.
        (await db.ScalarAsync("select count(*) from clock_versions where child = 'C2' and known_to is null")).ShouldBe(0);
        (await db.ScalarAsync("select count(*) from clock_versions where child = 'C3' and known_to is null and stopped_at is null")).ShouldBeGreaterThan(0);
        await ShouldEqualARebuildAsync(db);
    }

    [Fact]
    public async Task A_batch_maps_the_streams_that_begin_in_it_exactly_as_a_read_of_them_and_leaves_the_others_to_read()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        var events = Scenario("LA1").Concat(Scenario("LA2")).ToList();
        // Part of each child first, so that the later range holds children begun before it and children begun in it.
        var first = events.Where(e => e.Tenant == "LA1" && e.Child == "C1").Take(2)
            .Concat(events.Where(e => e.Tenant == "LA1" && e.Child == "C2").Take(2)).ToList();
        await db.Store.AppendAsync([.. first]);
        var floor = await db.Control.CommittedCeilingAsync();
        await db.Store.AppendAsync([.. events.Except(first)]);
        var upTo = await db.Control.CommittedCeilingAsync();

        // The events of the range as Marten loads them (its sessions are per council).
        var batch = new List<JasperFx.Events.IEvent>();
        foreach (var tenant in new[] { "LA1", "LA2" })
        {
            await using var session = db.DocumentStore.QuerySession(tenant);
            batch.AddRange(await session.Events.QueryAllRawEvents().Where(e => e.Sequence > floor).OrderBy(e => e.Sequence).ToListAsync());
        }
        batch.Count.ShouldBe(events.Count - first.Count);
        var (whole, toRead) = MartenEventStore.StreamsOfBatch(batch);

        var begunBefore = first.Select(e => (e.Tenant, e.Child)).Distinct().ToList();
        begunBefore.Count.ShouldBe(2);
        toRead.OrderBy(k => k).ShouldBe(begunBefore.OrderBy(k => k));
        whole.Keys.ShouldNotBeEmpty();
        whole.Keys.ShouldAllBe(k => !begunBefore.Contains(k));
        (whole.Count + toRead.Count).ShouldBe(events.Select(e => (e.Tenant, e.Child)).Distinct().Count());
        var read = await db.Store.ReadStreamsAsync(whole.Keys.ToList(), upTo);
        foreach (var (key, stream) in whole) stream.ShouldBe(read[key], $"{key}");
    }

    private static async Task ShouldEqualARebuildAsync(ProjectionDatabase db)
    {
        var live = await db.DumpAsync();
        var liveFacts = await db.FactsAsync();
        await db.Control.RebuildAsync(db.Control.Projections);
        var rebuilt = await db.DumpAsync();
        rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
        rebuilt.Timeline.ShouldBe(live.Timeline);
        rebuilt.BreachReasons.ShouldBe(live.BreachReasons);
        (await db.FactsAsync()).ShouldBe(liveFacts);
    }
}
