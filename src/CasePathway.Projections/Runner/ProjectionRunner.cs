using CasePathway.Store;
using Npgsql;

namespace CasePathway.Projections.Runner;

public sealed record ProjectionOptions(int BatchSize = 2000, TimeSpan? PollInterval = null, TimeSpan? CatchUpTimeout = null)
{
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromSeconds(2);
    public TimeSpan CatchUpLimit => CatchUpTimeout ?? TimeSpan.FromMinutes(10);
}

public sealed record ProjectionStatus(string Name, long Position, long HighWaterMark, bool Owned, DateTimeOffset? UpdatedAt)
{
    public long Lag => Math.Max(0, HighWaterMark - Position);
}

/// <summary>
/// Moves one projection along the event log: from its checkpoint up to the gap-aware high-water mark,
/// in batches, each batch and the new checkpoint committed together. Only the holder of the projection's
/// advisory lock processes; every other runner waits, and takes over when the holder's session ends.
/// </summary>
/// <remarks>
/// <paramref name="notifications"/> should be an unpooled data source: a connection that waits for NOTIFY
/// and is then cancelled can be left mid-read, and must never be handed to another command. Without it
/// the runner polls.
/// </remarks>
public sealed class ProjectionRunner(NpgsqlDataSource dataSource, IEventStore store, IProjection projection, ProjectionOptions? options = null, NpgsqlDataSource? notifications = null)
{
    public const string NotificationChannel = "casepathway_events";

    private readonly ProjectionOptions _options = options ?? new ProjectionOptions();

    public string Name => projection.Name;

    public async Task<long> PositionAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("select position from projection_progress where name = $1");
        cmd.Parameters.Add(new() { Value = Name });
        return await cmd.ExecuteScalarAsync(ct) is long p ? p : 0;
    }

    public async Task<ProjectionStatus> StatusAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select p.position, p.updated_at,
                   exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted
                           and l.database = (select oid from pg_database where datname = current_database())
                           and ((l.classid::bigint << 32) | l.objid::bigint) = $2)
            from (select $1::text as name) n left join projection_progress p on p.name = n.name
            """);
        cmd.Parameters.Add(new() { Value = Name });
        cmd.Parameters.Add(new() { Value = ProjectionLock.KeyOf(Name) });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var position = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
        DateTimeOffset? updated = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        var owned = reader.GetBoolean(2);
        await reader.DisposeAsync();
        return new ProjectionStatus(Name, position, await store.HighWaterMarkAsync(ct), owned, updated);
    }

    /// <summary>
    /// Brings the projection up to everything committed before the call: processes it here when no one
    /// else owns it, otherwise waits for the owner to get there (taking over if the owner dies).
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        var target = await store.HighWaterMarkAsync(ct);
        var deadline = DateTime.UtcNow + _options.CatchUpLimit;
        while (true)
        {
            await using (var owned = await ProjectionLock.TryAcquireAsync(dataSource, Name, ct))
            {
                if (owned is not null)
                {
                    await ProcessUntilAsync(target, ct);
                    return;
                }
            }
            if (await PositionAsync(ct) >= target) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Projection {Name} did not reach position {target} within {_options.CatchUpLimit}.");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Empties the read model and replays the whole log into it, as the owner.</summary>
    public async Task RebuildAsync(CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + _options.CatchUpLimit;
        ProjectionLock? owned;
        while ((owned = await ProjectionLock.TryAcquireAsync(dataSource, Name, ct)) is null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Projection {Name} is owned by another process.");
            await Task.Delay(200, ct);
        }
        await using (owned)
        {
            // One transaction: readers keep the old read model until the new one is complete, and a
            // rebuild that fails leaves the old one in place.
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                await LockPositionAsync(connection, ct);
                await projection.ResetAsync(connection, ct);
                var target = await store.HighWaterMarkAsync(ct);
                long position = 0;
                while (position < target)
                {
                    var batch = await store.ReadAllAsync(position, target, _options.BatchSize, ct);
                    var upTo = batch.Count == _options.BatchSize ? batch[^1].Sequence : target;
                    if (batch.Count > 0) await projection.ApplyAsync(connection, batch, upTo, ct);
                    position = upTo;
                }
                await SetPositionAsync(connection, position, ct);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch
            {
                await RollBackNowAsync(tx);
                throw;
            }
        }
    }

    /// <summary>
    /// The background loop: become the owner when possible, then follow the log, woken by NOTIFY on
    /// append and polling as a fallback (a notification can be missed while a gap holds the mark back).
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var owned = await ProjectionLock.TryAcquireAsync(dataSource, Name, ct);
                if (owned is null)
                {
                    await Task.Delay(_options.Poll, ct);
                    continue;
                }
                await FollowAsync(owned, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The database went away or our session was ended: retry ownership after a pause.
                await Task.Delay(_options.Poll, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task FollowAsync(ProjectionLock owned, CancellationToken ct)
    {
        using var appended = new SemaphoreSlim(0);
        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var listening = notifications is null ? Task.CompletedTask : ListenAsync(notifications, appended, stopListening.Token);
        try
        {
            while (!ct.IsCancellationRequested && await owned.IsHeldAsync(ct))
            {
                await ProcessUntilAsync(await store.HighWaterMarkAsync(ct), ct);
                await appended.WaitAsync(_options.Poll, ct);
            }
        }
        finally
        {
            await stopListening.CancelAsync();
            await listening;
        }
    }

    /// <summary>Signals <paramref name="appended"/> on every NOTIFY from an append, until cancelled.</summary>
    private static async Task ListenAsync(NpgsqlDataSource notifications, SemaphoreSlim appended, CancellationToken ct)
    {
        try
        {
            await using var listener = await notifications.OpenConnectionAsync(ct);
            listener.Notification += (_, _) =>
            {
                if (appended.CurrentCount == 0) appended.Release();
            };
            await using (var listen = new NpgsqlCommand($"listen {NotificationChannel}", listener))
                await listen.ExecuteNonQueryAsync(ct);
            while (!ct.IsCancellationRequested) await listener.WaitAsync(ct);
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException or ObjectDisposedException)
        {
            // Stopped, or the database went away: the follower polls meanwhile.
        }
    }

    /// <summary>Applies batches until the checkpoint reaches <paramref name="target"/>.</summary>
    private async Task ProcessUntilAsync(long target, CancellationToken ct)
    {
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                await LimitIdleTransactionAsync(connection, ct);
                // The row lock makes the read-apply-advance step exclusive even if two runners ever overlap.
                var position = await LockPositionAsync(connection, ct);
                if (position >= target)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    return;
                }
                var batch = await store.ReadAllAsync(position, target, _options.BatchSize, ct);
                var upTo = batch.Count == _options.BatchSize ? batch[^1].Sequence : target;
                if (batch.Count > 0) await projection.ApplyAsync(connection, batch, upTo, ct);
                await SetPositionAsync(connection, upTo, ct);
                // Once the batch is applied, finish it: a commit cancelled half-way helps no one.
                await tx.CommitAsync(CancellationToken.None);
            }
            catch
            {
                await RollBackNowAsync(tx);
                throw;
            }
        }
    }

    /// <summary>
    /// Rolls back at once. Npgsql otherwise rolls back a disposed transaction lazily, on the pooled
    /// connection's next use — until then the checkpoint row stays locked and every other runner and
    /// every command's catch-up waits on it (seen when a runner was cancelled mid-batch).
    /// </summary>
    private static async Task RollBackNowAsync(NpgsqlTransaction tx)
    {
        try
        {
            if (tx.Connection is not null) await tx.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is broken: the server ends its session, and the transaction with it.
        }
    }

    /// <summary>A safety net: a batch transaction left idle (its process hung) is ended by the server.</summary>
    private static async Task LimitIdleTransactionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("set local idle_in_transaction_session_timeout = '5min'", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<long> LockPositionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand(
            "insert into projection_progress(name, position, updated_at) values ($1, 0, now()) on conflict (name) do nothing", connection))
        {
            insert.Parameters.Add(new() { Value = Name });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await using var select = new NpgsqlCommand("select position from projection_progress where name = $1 for update", connection);
        select.Parameters.Add(new() { Value = Name });
        return (long)(await select.ExecuteScalarAsync(ct))!;
    }

    private async Task SetPositionAsync(NpgsqlConnection connection, long position, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            insert into projection_progress(name, position, updated_at) values ($1, $2, now())
            on conflict (name) do update set position = excluded.position, updated_at = excluded.updated_at
            """, connection);
        cmd.Parameters.Add(new() { Value = Name });
        cmd.Parameters.Add(new() { Value = position });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
