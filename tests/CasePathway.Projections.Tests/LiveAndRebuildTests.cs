using CasePathway.Domain.Events;
using CasePathway.Import.Demo;
using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using CasePathway.Testing;
using CsCheck;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>Live processing, batch by batch as events arrive, gives exactly what a rebuild from scratch gives.</summary>
public class LiveAndRebuildTests
{
    [Fact]
    public async Task Live_processing_after_every_append_equals_a_rebuild()
    {
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 3);
        foreach (var e in Scenario("LA1"))
        {
            await db.Store.AppendAsync(e);
            await db.CatchUpAsync();
        }
        var live = await db.DumpAsync();
        live.ClockVersions.ShouldNotBeEmpty();
        live.Timeline.Count.ShouldBe(Scenario("LA1").Count);

        (await db.RebuildAsync()).ShouldBe(await db.Control.CommittedCeilingAsync());
        var rebuilt = await db.DumpAsync();
        rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
        rebuilt.Timeline.ShouldBe(live.Timeline);
        (await db.PositionAsync()).ShouldBe(await db.Control.CommittedCeilingAsync());
    }

    // refold: every catch-up with a backlog refolds its children the rebuild's way (as an import's large one does)
    // instead of running Marten's daemon over it; either way the read models must equal a rebuild.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Live_processing_of_the_demo_dataset_in_chunks_equals_a_rebuild(bool refold)
    {
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 97);
        if (refold) db.RefoldFromEvents = 1;
        var now = At("2024-03-15T12:00");
        var events = DemoPathways.Generate("demo", now, children: 150);
        // Arrive child by child in chunks, as a feed would deliver them, catching up in between.
        foreach (var chunk in events.Chunk(211))
        {
            await db.Store.BulkAppendAsync(chunk.ToStreamAppends(inferRecordedAt: false));
            await db.CatchUpAsync();
        }
        var live = await db.DumpAsync();
        live.Timeline.Count.ShouldBe(events.Count);
        live.ClockVersions.Count.ShouldBeGreaterThan(150);

        var liveFacts = await db.FactsAsync();
        (await db.PositionAsync()).ShouldBe(await db.Control.CommittedCeilingAsync());

        await db.Control.RebuildAsync(db.Control.Projections);
        var rebuilt = await db.DumpAsync();
        rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
        rebuilt.Timeline.ShouldBe(live.Timeline);
        (await db.FactsAsync()).ShouldBe(liveFacts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Random_pathways_arriving_in_random_batches_give_live_read_models_equal_to_a_rebuild(bool refold)
    {
        // Property-based, kept small (one database, a few random children): each child's events arrive
        // shuffled, in batches of random size, with the projection catching up in between.
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 5);
        if (refold) db.RefoldFromEvents = 1;
        var child = 0;
        var arrivals = RandomPathways.Events.SelectMany(events => Gen.Shuffle(events.ToArray()).Select(s => (Events: s, Batch: 0)))
            .SelectMany(a => Gen.Int[2, 8].Select(batch => a with { Batch = batch }));
        await arrivals.SampleAsync(async arrival =>
        {
            var tenant = $"random-{Interlocked.Increment(ref child)}";
            foreach (var batch in arrival.Events.Select(e => e with { Tenant = tenant }).Chunk(arrival.Batch))
            {
                await db.Store.BulkAppendAsync(batch.ToStreamAppends(inferRecordedAt: true));
                await db.CatchUpAsync();
            }
            var live = await db.DumpAsync();
            await db.RebuildAsync();
            var rebuilt = await db.DumpAsync();
            rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
            rebuilt.Timeline.ShouldBe(live.Timeline);
        }, iter: 6, threads: 1, print: a => string.Join("\n", a.Events.Select(e => $"{e.Type} {e.OccurredAt} {EventJson.CanonicalData(e.Data)}")));
    }

    [Fact]
    public async Task A_refolded_catch_up_replaces_the_rows_of_children_each_projection_has_seen_and_only_those()
    {
        // The refold deletes a child's rows only in a projection whose position has reached the child's first event.
        // Here the projections stand at different places: pathways was rebuilt after the second child began, the
        // scorecard was not, so the catch-up must replace that child's rows in pathways and add them in the scorecard.
        await using var db = await ProjectionDatabase.CreateAsync();
        db.RefoldFromEvents = 1;
        var first = DemoPathways.Generate("LA1", At("2024-03-15T12:00"), children: 3);
        var second = DemoPathways.Generate("LA2", At("2024-03-15T12:00"), children: 3);
        await db.Store.BulkAppendAsync(first.ToStreamAppends(inferRecordedAt: false));
        await db.CatchUpAsync();
        var half = second.Count / 2;
        await db.Store.BulkAppendAsync(second.Take(half).ToStreamAppends(inferRecordedAt: false));
        await db.RebuildAsync(PathwayProjection.ProjectionName);
        (await db.PositionAsync(PathwayProjection.ProjectionName)).ShouldBeGreaterThan(await db.PositionAsync(IndicatorFactsProjection.ProjectionName));
        await db.Store.BulkAppendAsync(second.Skip(half).ToStreamAppends(inferRecordedAt: false));
        await db.CatchUpAsync();

        var live = await db.DumpAsync();
        var liveFacts = await db.FactsAsync();
        live.Timeline.Count.ShouldBe(first.Count + second.Count);
        await db.Control.RebuildAsync(db.Control.Projections);
        var rebuilt = await db.DumpAsync();
        rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
        rebuilt.Timeline.ShouldBe(live.Timeline);
        rebuilt.BreachReasons.ShouldBe(live.BreachReasons);
        (await db.FactsAsync()).ShouldBe(liveFacts);
    }

    [Fact]
    public async Task Rebuild_and_catch_up_on_an_empty_store_finish_at_position_zero()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        var rebuild = db.RebuildAsync();
        (await Task.WhenAny(rebuild, Task.Delay(TimeSpan.FromSeconds(20)))).ShouldBe(rebuild, "rebuild of an empty store must not hang");
        await rebuild;
        await db.CatchUpAsync();
        (await db.PositionAsync()).ShouldBe(0);
        var status = (await db.Control.StatusAsync()).Single(s => s.Name == PathwayProjection.ProjectionName);
        status.HighWaterMark.ShouldBe(0);
        status.Lag.ShouldBe(0);
        status.Running.ShouldBeFalse("nobody holds the shard's lock once the rebuild is done");
        (await db.DumpAsync()).ClockVersions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rebuild_replaces_read_models_that_were_tampered_with()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await db.Store.AppendAsync([.. Scenario("LA1")]);
        await db.CatchUpAsync();
        var before = await db.DumpAsync();
        await using (var cmd = db.DataSource.CreateCommand("update clock_versions set due_on = due_on + 30; insert into child_timeline select tenant, 'ghost', seq, event_id, type, occurred_at, occurred_on, recorded_at, recorded_inferred, stored_at, recorded_by, source_system, retracted, late_working_days, team, worker from child_timeline"))
            await cmd.ExecuteNonQueryAsync();
        await db.RebuildAsync();
        var after = await db.DumpAsync();
        after.ClockVersions.ShouldBe(before.ClockVersions);
        after.Timeline.ShouldBe(before.Timeline);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public async Task Batch_size_does_not_change_the_result(int batchSize)
    {
        var events = Scenario("LA1").Concat(DemoPathways.Generate("demo", At("2024-03-15T12:00"), children: 40)).ToList();
        await using var reference = await ProjectionDatabase.CreateAsync(batchSize: 2000);
        await using var small = await ProjectionDatabase.CreateAsync(batchSize);
        foreach (var db in new[] { reference, small })
            foreach (var chunk in events.Chunk(50))
                await db.Store.BulkAppendAsync(chunk.ToStreamAppends(inferRecordedAt: false));

        await reference.CatchUpAsync();
        await small.CatchUpAsync();

        var expected = await reference.DumpAsync();
        var actual = await small.DumpAsync();
        actual.ClockVersions.ShouldBe(expected.ClockVersions.Select(r => r).ToList());
        actual.Timeline.Count.ShouldBe(expected.Timeline.Count);
        // Sequences are the same in both databases (same appends in the same order), so whole rows compare.
        actual.Timeline.Select(StripStoredAt).ShouldBe(expected.Timeline.Select(StripStoredAt));
        (await small.PositionAsync()).ShouldBe(await small.Control.CommittedCeilingAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Rebuilding_every_read_model_in_one_pass_in_any_chunk_size_equals_live_processing(int childrenPerChunk)
    {
        // The daemon writes JSON rows through jsonb_to_recordset; the rebuild folds in parallel, reads the next
        // chunk while it writes this one, and writes by binary COPY: every table must come out the same.
        await using var db = await ProjectionDatabase.CreateAsync(batchSize: 97);
        var events = Scenario("LA1").Concat(DemoPathways.Generate("demo", At("2024-03-15T12:00"), children: 60)).ToList();
        foreach (var chunk in events.Chunk(211))
        {
            await db.Store.BulkAppendAsync(chunk.ToStreamAppends(inferRecordedAt: false));
            await db.CatchUpAsync();
        }
        var live = await db.DumpAsync();
        var liveFacts = await db.FactsAsync();
        liveFacts.ShouldNotBeEmpty();
        // The rebuild drops the tables' keys and indexes for its load and makes them again: all of them, as they were.
        const string indexes =
            "select c.relname as table_name, i.relname as index_name, pg_get_indexdef(i.oid) as definition, x.indisprimary as primary_key " +
            "from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid " +
            "where c.relname in ('clock_versions', 'child_timeline', 'breach_reasons', 'indicator_facts') order by 1, 2";
        var indexesBefore = await db.RowsAsync(indexes);
        indexesBefore.Count.ShouldBeGreaterThanOrEqualTo(8);

        (await db.Control.RebuildAsync(db.Control.Projections, childrenPerChunk)).ShouldBe(await db.Control.CommittedCeilingAsync());
        (await db.RowsAsync(indexes)).ShouldBe(indexesBefore);
        var rebuilt = await db.DumpAsync();
        rebuilt.ClockVersions.ShouldBe(live.ClockVersions);
        rebuilt.Timeline.ShouldBe(live.Timeline);
        rebuilt.BreachReasons.ShouldBe(live.BreachReasons);
        (await db.FactsAsync()).ShouldBe(liveFacts);
        (await db.PositionAsync(PathwayProjection.ProjectionName)).ShouldBe(await db.Control.CommittedCeilingAsync());
        (await db.PositionAsync(CasePathway.Projections.Scorecard.IndicatorFactsProjection.ProjectionName)).ShouldBe(await db.Control.CommittedCeilingAsync());
    }

    // stored_at is the receipt time of each database's own append, the only column that differs.
    private static string StripStoredAt(string row) =>
        string.Join(" | ", row.Split(" | ").Where(f => !f.StartsWith("stored_at=", StringComparison.Ordinal)));
}
