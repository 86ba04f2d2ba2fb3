using CasePathway.Testing;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

/// <summary>Each test gets its own database: the mark is one per database.</summary>
public class HighWaterMarkTests : IAsyncLifetime
{
    private const string Tenant = "357";
    private readonly TestDatabase _db = new();
    private PostgresEventStore Store => _db.EventStore;

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task An_empty_store_has_mark_zero()
    {
        (await Store.HighWaterMarkAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task With_no_gaps_the_mark_is_the_last_sequence_number()
    {
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, Contacts(3));
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, Contacts(2));
        (await Store.HighWaterMarkAsync()).ShouldBe(5);
    }

    [Fact]
    public async Task A_late_committing_transaction_holds_the_mark_back_and_a_reader_from_the_old_checkpoint_gets_both_events()
    {
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, [Contact("before")]);
        var checkpoint = await Store.HighWaterMarkAsync();
        checkpoint.ShouldBe(1);

        // The slow writer takes seq 2 and stays open; a quick writer takes seq 3 and commits.
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        var slowChild = NewChild();
        await Store.AppendAsync(slow, Tenant, slowChild, ExpectedVersion.NoStream, [Contact("slow")]);
        var quickChild = NewChild();
        await Store.AppendAsync(Tenant, quickChild, ExpectedVersion.NoStream, [Contact("quick")]);

        var visible = await Store.ReadAllAsync(checkpoint, long.MaxValue, 100);
        visible.ShouldHaveSingleItem().Sequence.ShouldBe(3, "seq 3 is visible while seq 2 is not yet");
        (await Store.HighWaterMarkAsync()).ShouldBe(1);
        (await Store.HighWaterMarkAsync()).ShouldBe(1, "asking again does not skip a gap whose writer is still running");
        (await Store.ReadAllAsync(checkpoint, await Store.HighWaterMarkAsync(), 100)).ShouldBeEmpty();

        await slow.CommitAsync();

        var mark = await Store.HighWaterMarkAsync();
        mark.ShouldBe(3);
        var delivered = await Store.ReadAllAsync(checkpoint, mark, 100);
        delivered.Select(e => e.Stream).ShouldBe([slowChild, quickChild]);
    }

    [Fact]
    public async Task A_rolled_back_transactions_gap_does_not_stall_the_mark()
    {
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, [Contact("before")]);
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var abandoned = await connection.BeginTransactionAsync())
        {
            await Store.AppendAsync(abandoned, Tenant, NewChild(), ExpectedVersion.NoStream, Contacts(2));
            await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, [Contact("after")]);
            (await Store.HighWaterMarkAsync()).ShouldBe(1);
            await abandoned.RollbackAsync();
        }

        // The gap (2, 3) is passed once every transaction that was running when it was seen has ended;
        // other test classes share the cluster's transaction ids, so allow them to finish.
        var mark = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((mark = await Store.HighWaterMarkAsync()) < 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
        mark.ShouldBe(4);
        (await Store.ReadAllAsync(0, mark, 100)).Select(e => e.Sequence).ShouldBe([1L, 4]);
    }

    [Fact]
    public async Task A_gap_at_the_very_start_is_held_then_passed_after_rollback()
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var abandoned = await connection.BeginTransactionAsync();
        await Store.AppendAsync(abandoned, Tenant, NewChild(), ExpectedVersion.NoStream, [Contact()]);
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, [Contact()]);
        (await Store.HighWaterMarkAsync()).ShouldBe(0);
        await abandoned.RollbackAsync();

        var mark = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((mark = await Store.HighWaterMarkAsync()) < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        mark.ShouldBe(2);
    }

    [Fact]
    public async Task The_mark_is_shared_through_the_database_by_separate_store_instances()
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        await Store.AppendAsync(slow, Tenant, NewChild(), ExpectedVersion.NoStream, [Contact()]);
        await Store.AppendAsync(Tenant, NewChild(), ExpectedVersion.NoStream, [Contact()]);

        await using var otherSource = Npgsql.NpgsqlDataSource.Create(_db.ConnectionString);
        var other = new PostgresEventStore(otherSource);
        (await other.HighWaterMarkAsync()).ShouldBe(0);
        (await Store.HighWaterMarkAsync()).ShouldBe(0);
        await slow.CommitAsync();
        (await other.HighWaterMarkAsync()).ShouldBe(2);
        (await Store.HighWaterMarkAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Many_concurrent_writers_never_let_a_reader_skip_an_event()
    {
        // Readers follow the mark while writers append in parallel; every committed event must be read once.
        var writers = Enumerable.Range(0, 6).Select(async w =>
        {
            for (var i = 0; i < 30; i++)
                await Store.AppendAsync(Tenant, $"W{w}", ExpectedVersion.Any, [Contact($"{w}-{i}")]);
        }).ToArray();
        var seen = new List<long>();
        var checkpoint = 0L;
        async Task Follow()
        {
            var mark = await Store.HighWaterMarkAsync();
            var batch = await Store.ReadAllAsync(checkpoint, mark, 1000);
            seen.AddRange(batch.Select(e => e.Sequence));
            if (batch.Count > 0) checkpoint = batch[^1].Sequence;
        }
        while (!writers.All(t => t.IsCompleted)) await Follow();
        await Task.WhenAll(writers);
        await Follow();

        seen.Count.ShouldBe(180);
        seen.ShouldBe(Enumerable.Range(1, 180).Select(i => (long)i));
    }

    [Fact]
    public async Task Followers_get_every_committed_event_exactly_once_while_writers_commit_roll_back_and_bulk()
    {
        var committed = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        async Task Writer(int w)
        {
            for (var i = 0; i < 25; i++)
            {
                var e = Contact($"{w}-{i}");
                if (i % 5 == 3)
                {
                    await using var connection = await _db.DataSource.OpenConnectionAsync();
                    await using var abandoned = await connection.BeginTransactionAsync();
                    await Store.AppendAsync(abandoned, Tenant, $"W{w}", ExpectedVersion.Any, [e]);
                    await Task.Delay(i);
                    await abandoned.RollbackAsync();
                }
                else if (i % 5 == 4)
                {
                    var bulk = Enumerable.Range(0, 3).Select(b => new StreamAppend(Tenant, $"B{w}-{i}-{b}", ExpectedVersion.NoStream, [Contact()])).ToArray();
                    await Store.BulkAppendAsync(bulk);
                    foreach (var append in bulk) committed.Add(append.Events[0].Id);
                }
                else
                {
                    await Store.AppendAsync(Tenant, $"W{w}", ExpectedVersion.Any, [e]);
                    committed.Add(e.Id);
                }
            }
        }
        var writers = Enumerable.Range(0, 4).Select(Writer).ToArray();

        var seen = new List<StoredEvent>();
        var checkpoint = 0L;
        async Task Follow()
        {
            var batch = await Store.ReadAllAsync(checkpoint, await Store.HighWaterMarkAsync(), 1000);
            seen.AddRange(batch);
            if (batch.Count > 0) checkpoint = batch[^1].Sequence;
        }
        while (!writers.All(t => t.IsCompleted)) await Follow();
        await Task.WhenAll(writers);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < committed.Count && DateTime.UtcNow < deadline)
        {
            await Follow();
            await Task.Delay(20);
        }

        seen.Select(e => e.Id).ShouldBe(committed, ignoreOrder: true);
        seen.Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        seen.Select(e => e.Sequence).Distinct().Count().ShouldBe(seen.Count);
    }
}
