using CasePathway.Domain.Events;
using CasePathway.Projections.Runner;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>The runner against the real PostgreSQL: ownership, takeover, the high-water mark end to end.</summary>
public class RunnerTests
{
    private static PathwayEvent Contact(string child, int n) =>
        E("LA1", child, "2022-10-03T09:00", new ContactReceived("K" + n, ContactRoute.Mash));

    [Fact]
    public async Task When_the_lock_holder_is_killed_the_other_runner_takes_over_and_no_event_is_lost_or_applied_twice()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await using (var create = db.DataSource.CreateCommand(CountingProjection.CreateLedger)) await create.ExecuteNonQueryAsync();
        var inner = new PathwayProjection(db.Store, TenantDirectory.Empty);
        var options = new ProjectionOptions(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
        // Runner a stands for another process: its own connection pool, so the session killed below
        // is never handed to b or to the test's own queries.
        await using var otherProcess = Npgsql.NpgsqlDataSource.Create(db.ConnectionString);
        var a = new ProjectionRunner(otherProcess, new PostgresEventStore(otherProcess),
            new CountingProjection(new PathwayProjection(new PostgresEventStore(otherProcess), TenantDirectory.Empty), "a"), options);
        var b = new ProjectionRunner(db.DataSource, db.Store, new CountingProjection(inner, "b"), options);

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await WaitUntil(async () => (await a.StatusAsync()).Owned, "runner a owns the projection");
        var runB = b.RunAsync(stopB.Token);

        // A stream of appends while a owns the projection.
        var appended = 0;
        for (var i = 0; i < 40; i++) { await db.Store.AppendAsync(Contact("C" + (i % 9), ++appended)); }
        await WaitUntil(async () => await db.ScalarAsync("select count(*) from applied_events where runner = 'a'") > 0, "a applies events");

        // Kill a: end its lock session as PostgreSQL would when its process dies, and stop its task.
        var killed = await db.ScalarAsync(
            $"select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database()) and ((classid::bigint << 32) | objid::bigint) = {ProjectionLock.KeyOf(a.Name)}");
        killed.ShouldBe(1);
        stopA.Cancel();
        await Should.NotThrowAsync(runA.WaitAsync(TimeSpan.FromSeconds(20)));

        // More events arrive after the takeover.
        for (var i = 0; i < 40; i++) { await db.Store.AppendAsync(Contact("D" + (i % 7), ++appended)); }
        var mark = await db.Store.HighWaterMarkAsync();
        mark.ShouldBe(appended);
        await WaitUntil(async () => await b.PositionAsync() == mark, "runner b reaches the high-water mark");
        (await b.StatusAsync()).Owned.ShouldBeTrue("b holds the lock now");

        (await db.ScalarAsync("select count(*) from applied_events")).ShouldBe(appended, "every event applied exactly once");
        (await db.ScalarAsync("select count(distinct seq) from applied_events")).ShouldBe(appended);
        (await db.ScalarAsync("select count(*) from applied_events where runner = 'b'")).ShouldBeGreaterThan(0, "b did take over");
        (await db.ScalarAsync("select count(*) from child_timeline")).ShouldBe(appended);

        stopB.Cancel();
        await runB.WaitAsync(TimeSpan.FromSeconds(20));
        (await a.StatusAsync()).Owned.ShouldBeFalse("a stopped runner releases its lock");
    }

    [Fact]
    public async Task Two_runners_competing_from_the_start_apply_each_event_once()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await using (var create = db.DataSource.CreateCommand(CountingProjection.CreateLedger)) await create.ExecuteNonQueryAsync();
        var inner = new PathwayProjection(db.Store, TenantDirectory.Empty);
        var options = new ProjectionOptions(3, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(60));
        var runners = new[] { "a", "b" }.Select(n => new ProjectionRunner(db.DataSource, db.Store, new CountingProjection(inner, n), options)).ToList();
        using var stop = new CancellationTokenSource();
        var running = runners.Select(r => r.RunAsync(stop.Token)).ToList();
        var catchUps = new List<Task>();
        for (var i = 1; i <= 60; i++)
        {
            await db.Store.AppendAsync(Contact("C" + (i % 11), i));
            // A command's catch-up competing with the background owners.
            if (i % 10 == 0) catchUps.Add(runners[i % 2].CatchUpAsync());
        }
        await Task.WhenAll(catchUps).WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntil(async () => await runners[0].PositionAsync() == 60, "the owner reaches the end");
        stop.Cancel();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(20));
        (await db.ScalarAsync("select count(*) from applied_events")).ShouldBe(60);
        (await db.ScalarAsync("select count(distinct seq) from applied_events")).ShouldBe(60);
    }

    [Fact]
    public async Task An_event_whose_transaction_commits_after_a_later_numbered_one_is_still_projected()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        var runner = db.Runner();
        await db.Store.AppendAsync(Contact("first", 1));
        await runner.CatchUpAsync();

        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        await db.Store.AppendAsync(slow, "LA1", "slow", ExpectedVersion.NoStream, [Contact("slow", 2).ToNewEvent(false)]);
        await db.Store.AppendAsync(Contact("quick", 3));

        await runner.CatchUpAsync();
        (await runner.PositionAsync()).ShouldBe(1, "the checkpoint must not pass the slow writer's sequence");
        (await db.RowsAsync("select child from child_timeline order by seq")).Select(r => r["child=".Length..]).ShouldBe(["first"]);

        await slow.CommitAsync();
        await runner.CatchUpAsync();
        (await runner.PositionAsync()).ShouldBe(3);
        (await db.RowsAsync("select child from child_timeline order by seq")).Select(r => r["child=".Length..]).ShouldBe(["first", "slow", "quick"]);
        (await db.RowsAsync("select child from clock_versions where rule = 'mash-screening' order by child")).Select(r => r["child=".Length..]).ShouldBe(["first", "quick", "slow"]);
    }

    [Fact]
    public async Task A_background_runner_is_woken_by_appends()
    {
        await using var db = await ProjectionDatabase.CreateAsync();
        await using var notifications = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        var runner = new ProjectionRunner(db.DataSource, db.Store, new PathwayProjection(db.Store, TenantDirectory.Empty),
            new ProjectionOptions(100, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), notifications);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(stop.Token);
        await WaitUntil(async () => (await runner.StatusAsync()).Owned, "the runner owns the projection");
        await Task.Delay(300);
        await db.Store.AppendAsync(Contact("C1", 1));
        // The poll interval is 30 s: only NOTIFY can bring it there within 10 s.
        await WaitUntil(async () => await runner.PositionAsync() == 1, "NOTIFY wakes the runner", TimeSpan.FromSeconds(10));
        stop.Cancel();
        await run;
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting until " + what);
            await Task.Delay(50);
        }
    }
}
