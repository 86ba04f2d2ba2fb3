using CasePathway.Domain.Events;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using CasePathway.Store.Marten;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;
using Marten.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// Marten's daemon and the commands beside it, against the real PostgreSQL: catch-up, a server's HotCold daemon,
/// commands next to it, late commits, and a rebuild nobody sees half-built.
/// </summary>
public class DaemonTests
{
    private static PathwayEvent Contact(string child, int n) =>
        E("LA1", child, "2022-10-03T09:00", new ContactReceived("K" + n, ContactRoute.Mash));

    /// <summary>Another process's store over the same database: the pathway projection, counted under <paramref name="process"/>.</summary>
    private static async Task<DocumentStore> ProcessAsync(ProjectionDatabase db, string process, int batchSize = 5) =>
        await CasePathwayDatabase.OpenStoreAsync(db.DataSource, o =>
        {
            o.Projections.Add(new CountingProjection(new PathwayProjection(TenantDirectory.Empty), process), ProjectionLifecycle.Async,
                PathwayProjection.ProjectionName, a => a.BatchSize = batchSize);
            o.Projections.AsyncMode = DaemonMode.HotCold;
            o.Projections.LeadershipPollingTime = 200;
        });

    private static ProjectionControl ControlOf(DocumentStore store) =>
        new(store, [new PathwayProjection(TenantDirectory.Empty)], TimeSpan.FromSeconds(60));

    private static async Task<ProjectionDatabase> WithLedgerAsync()
    {
        var db = await ProjectionDatabase.CreateAsync();
        await using var create = db.DataSource.CreateCommand(CountingProjection.CreateLedger);
        await create.ExecuteNonQueryAsync();
        return db;
    }

    [Fact]
    public void The_daemon_batch_size_comes_from_the_environment_and_a_bad_value_is_refused_naming_the_variable()
    {
        CasePathwayProjections.BatchSizeFromEnvironment(_ => null).ShouldBeNull();
        CasePathwayProjections.BatchSizeFromEnvironment(_ => " 500 ").ShouldBe(500);
        foreach (var bad in new[] { "0", "-5", "lots", "100001" })
            Should.Throw<InvalidOperationException>(() => CasePathwayProjections.BatchSizeFromEnvironment(_ => bad))
                .Message.ShouldContain(CasePathwayProjections.BatchVariable);
    }

    [Fact]
    public async Task A_servers_daemon_follows_appends_and_a_command_beside_it_waits_for_it_instead_of_competing()
    {
        await using var db = await WithLedgerAsync();
        using var server = await ProcessAsync(db, "server");
        using var command = await ProcessAsync(db, "command");
        var daemon = new ProjectionCoordinator(server, NullLogger<ProjectionCoordinator>.Instance);
        await daemon.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntil(async () => (await ControlOf(command).StatusAsync()).Single().Running, "the server's daemon leads the shard");
            var appended = 0;
            for (var i = 0; i < 30; i++)
            {
                await db.Store.AppendAsync(Contact("C" + (i % 7), ++appended));
                // A command reading its own writes while the server's daemon runs the projection.
                if (i % 10 == 9)
                {
                    await ControlOf(command).CatchUpAsync();
                    (await db.ScalarAsync("select count(*) from child_timeline")).ShouldBe(appended, "the command saw its own writes projected");
                }
            }
            var ceiling = await db.Control.CommittedCeilingAsync();
            await WaitUntil(async () => await db.PositionAsync() == ceiling, "the server's daemon reaches the end");
            (await db.ScalarAsync("select count(*) from applied_events where process = 'command'")).ShouldBe(0, "the command never projected next to the daemon");
            (await db.ScalarAsync("select count(*) from applied_events")).ShouldBe(appended, "every event applied exactly once");
            (await db.ScalarAsync("select count(distinct seq) from applied_events")).ShouldBe(appended);

            // A rebuild next to a running daemon is refused rather than racing it.
            await Should.ThrowAsync<ProjectionBusyException>(() => ControlOf(command).RebuildAsync(new PathwayProjection(TenantDirectory.Empty)));
        }
        finally
        {
            await daemon.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task When_the_server_stops_another_takes_over_and_no_event_is_lost_or_applied_twice()
    {
        await using var db = await WithLedgerAsync();
        using var first = await ProcessAsync(db, "a");
        using var second = await ProcessAsync(db, "b");
        var a = new ProjectionCoordinator(first, NullLogger<ProjectionCoordinator>.Instance);
        var b = new ProjectionCoordinator(second, NullLogger<ProjectionCoordinator>.Instance);
        await a.StartAsync(CancellationToken.None);
        await WaitUntil(async () => (await db.Control.StatusAsync()).Single(s => s.Name == PathwayProjection.ProjectionName).Running, "a leads");
        await b.StartAsync(CancellationToken.None);
        try
        {
            var appended = 0;
            for (var i = 0; i < 20; i++) await db.Store.AppendAsync(Contact("C" + (i % 9), ++appended));
            await WaitUntil(async () => await db.ScalarAsync("select count(*) from applied_events where process = 'a'") > 0, "a applies events");
            await a.StopAsync(CancellationToken.None);

            for (var i = 0; i < 20; i++) await db.Store.AppendAsync(Contact("D" + (i % 7), ++appended));
            var ceiling = await db.Control.CommittedCeilingAsync();
            await WaitUntil(async () => await db.PositionAsync() == ceiling, "b takes over and reaches the end");
            (await db.ScalarAsync("select count(*) from applied_events")).ShouldBe(appended, "every event applied exactly once");
            (await db.ScalarAsync("select count(distinct seq) from applied_events")).ShouldBe(appended);
            (await db.ScalarAsync("select count(*) from applied_events where process = 'b'")).ShouldBeGreaterThan(0, "b did take over");
            (await db.ScalarAsync("select count(*) from child_timeline")).ShouldBe(appended);
        }
        finally
        {
            await b.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Commands_of_two_processes_catching_up_at_once_apply_each_event_once()
    {
        await using var db = await WithLedgerAsync();
        using var first = await ProcessAsync(db, "a", batchSize: 3);
        using var second = await ProcessAsync(db, "b", batchSize: 3);
        var catchUps = new List<Task>();
        for (var i = 1; i <= 40; i++)
        {
            await db.Store.AppendAsync(Contact("C" + (i % 11), i));
            if (i % 5 == 0) catchUps.Add(ControlOf(i % 2 == 0 ? first : second).CatchUpAsync());
        }
        await Task.WhenAll(catchUps).WaitAsync(TimeSpan.FromSeconds(60));
        await ControlOf(first).CatchUpAsync();
        (await db.ScalarAsync("select count(*) from applied_events")).ShouldBe(40);
        (await db.ScalarAsync("select count(distinct seq) from applied_events")).ShouldBe(40);
    }

    [Fact]
    public async Task An_event_whose_transaction_commits_after_a_later_numbered_one_is_still_projected()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await db.Store.AppendAsync(Contact("first", 1));
        await db.CatchUpAsync();

        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        var options = SessionOptions.ForTransaction(slow);
        options.TenantId = "LA1";
        await using (var session = db.DocumentStore.LightweightSession(options))
        {
            var late = Contact("slow", 2);
            var e = session.Events.BuildEvent(late.Data);
            e.Id = late.Id;
            e.SetHeader("occurredAt", late.OccurredAt.ToString());
            session.Events.StartStream("slow", e);
            await session.SaveChangesAsync();
        }
        await db.Store.AppendAsync(Contact("quick", 3));

        // The daemon's mark holds before the sequence the open transaction took: catching up waits for it.
        var catchUp = db.CatchUpAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        catchUp.IsCompleted.ShouldBeFalse("catch-up must not pass a sequence a live transaction may still commit");
        (await db.PositionAsync()).ShouldBe(1);
        (await db.RowsAsync("select child from child_timeline order by seq")).Select(r => r["child=".Length..]).ShouldBe(["first"]);

        await slow.CommitAsync();
        await catchUp.WaitAsync(TimeSpan.FromSeconds(30));
        (await db.PositionAsync()).ShouldBe(3);
        (await db.RowsAsync("select child from child_timeline order by seq")).Select(r => r["child=".Length..]).ShouldBe(["first", "slow", "quick"]);
        (await db.RowsAsync("select child from clock_versions where rule = 'mash-screening' order by child")).Select(r => r["child=".Length..]).ShouldBe(["first", "quick", "slow"]);
    }

    [Fact]
    public async Task A_rebuild_that_fails_half_way_leaves_the_read_model_and_the_progression_as_they_were()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await db.Store.AppendAsync([.. Scenario("LA1")]);
        await db.CatchUpAsync();
        var before = await db.DumpAsync();
        await using (var cmd = db.DataSource.CreateCommand("update clock_versions set team = 'stale'")) await cmd.ExecuteNonQueryAsync();
        var stale = await db.DumpAsync();
        var position = await db.PositionAsync();

        using var stop = new CancellationTokenSource();
        var pathway = db.Control.Find(PathwayProjection.ProjectionName)!;
        var chunks = 0;
        await Should.ThrowAsync<OperationCanceledException>(() => db.Control.RebuildAsync(pathway, childrenPerChunk: 1, chunkWritten: _ =>
        {
            // After the first child is written, inside the rebuild's transaction.
            if (++chunks == 1) stop.Cancel();
        }, ct: stop.Token));
        chunks.ShouldBe(1);
        var afterFailure = await db.DumpAsync();
        afterFailure.ClockVersions.ShouldBe(stale.ClockVersions, "the half-built read model was rolled back, the old one untouched");
        afterFailure.Timeline.ShouldBe(stale.Timeline);
        stale.ClockVersions.ShouldNotBe(before.ClockVersions, "the stale model differs from a rebuilt one, so the comparison can fail");
        (await db.PositionAsync()).ShouldBe(position);

        await db.RebuildAsync();
        var after = await db.DumpAsync();
        after.ClockVersions.ShouldBe(before.ClockVersions);
        after.Timeline.ShouldBe(before.Timeline);
    }

    [Fact]
    public async Task A_reader_during_a_rebuild_sees_the_whole_old_read_model_or_the_whole_new_one()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        var events = Import.Demo.DemoPathways.Generate("demo", At("2024-03-15T12:00"), children: 60);
        await db.Store.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: false));
        await db.CatchUpAsync();
        var whole = await db.ScalarAsync("select count(*) from child_timeline");
        whole.ShouldBe(events.Count);

        var rebuild = db.Control.RebuildAsync(db.Control.Find(PathwayProjection.ProjectionName)!, childrenPerChunk: 2);
        var seen = new List<long>();
        while (!rebuild.IsCompleted) seen.Add(await db.ScalarAsync("select count(*) from child_timeline"));
        await rebuild;
        seen.Add(await db.ScalarAsync("select count(*) from child_timeline"));
        seen.Count.ShouldBeGreaterThan(1, "at least one read ran while the rebuild did");
        seen.ShouldAllBe(n => n == whole);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting until " + what);
            await Task.Delay(50);
        }
    }
}
