using CasePathway.Store;
using CasePathway.Store.Marten;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace CasePathway.Projections.Daemon;

/// <summary>A projection's position in the event log (Marten's progression) against the log's highest committed sequence.</summary>
public sealed record ProjectionStatus(string Name, long Position, long HighWaterMark, bool Running, DateTimeOffset? UpdatedAt, int Parked = 0)
{
    public long Lag => Math.Max(0, HighWaterMark - Position);
}

/// <summary>A child a projection could not fold, set aside with the error (<c>parked_children</c>).</summary>
public sealed record ParkedChild(string Projection, string Tenant, string Child, string Error, DateTimeOffset ParkedAt);

/// <summary>What a retry did for one projection: the child folded and was unparked, or is still parked with the error.</summary>
public sealed record RetryOutcome(string Projection, bool StillParked, string? Error);

/// <summary>Thrown when a projection is run by a daemon elsewhere (a server) and the operation needs it to itself.</summary>
public sealed class ProjectionBusyException(string projection)
    : InvalidOperationException($"Projection {projection} is being run by another process's daemon (a running server?): stop it to rebuild, or let it catch up.")
{
    public string Projection { get; } = projection;
}

/// <summary>
/// What commands do with the projections beside the daemon: bring them up to date, rebuild one, report where
/// they are. Whoever projects holds Marten's own advisory lock for the shard (<see cref="ProjectionLockIds"/>,
/// the lock a HotCold daemon takes to lead it), so a command never becomes a second writer next to a server's
/// daemon: Marten would then stop the server's shard (ProgressionProgressOutOfOrderException).
/// </summary>
public sealed class ProjectionControl(DocumentStore store, IReadOnlyList<ChildProjection> projections, TimeSpan? waitLimit = null)
{
    private readonly TimeSpan _waitLimit = waitLimit ?? TimeSpan.FromMinutes(10);

    public IReadOnlyList<ChildProjection> Projections => projections;

    public ChildProjection? Find(string name) => projections.FirstOrDefault(p => p.Name == name);

    /// <summary>Marten's shard of a projection, as named in <c>mt_event_progression</c> ("pathways:All").</summary>
    public static ShardName ShardOf(ChildProjection projection) => ShardName.Compose(projection.Name);

    private long LockIdOf(ChildProjection projection) =>
        ProjectionLockIds.Compute(store.Options.Events.DatabaseSchemaName, ShardOf(projection), store.Options.Projections.DaemonLockId);

    private static string Progression => $"{EventStoreOptions.SchemaName}.mt_event_progression";

    /// <summary>
    /// Brings every projection up to everything committed before the call (read your writes). When no daemon
    /// runs them, Marten's <c>CatchUpAsync</c> does it here while this process holds their locks; when a
    /// server's daemon runs them, this waits for it to get there.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        var target = await CommittedCeilingAsync(ct);
        var deadline = DateTime.UtcNow + _waitLimit;
        while (true)
        {
            // Whoever holds the locks may stop short of our target (another command that started earlier), so
            // every round tries to take them again rather than only waiting.
            await using (var locks = await TryLockAllAsync(projections, ct))
            {
                if (locks is not null)
                {
                    await RefoldBacklogAsync(ct);
                    using var daemon = await store.BuildProjectionDaemonAsync();
                    await daemon.CatchUpAsync(_waitLimit, ct);
                    return;
                }
            }
            var behind = (await StatusAsync(ct)).Where(s => s.Position < target).ToList();
            if (behind.Count == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Projections did not reach sequence {target} within {_waitLimit}: {string.Join(", ", behind.Select(s => $"{s.Name} at {s.Position}"))}.");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Rebuilds one projection (<see cref="RebuildAsync(IReadOnlyList{ChildProjection}, int, Action{int}?, CancellationToken)"/>).</summary>
    public Task<long> RebuildAsync(ChildProjection projection, int childrenPerChunk = DefaultChildrenPerChunk, Action<int>? chunkWritten = null, CancellationToken ct = default) =>
        RebuildAsync([projection], childrenPerChunk, chunkWritten, ct);

    /// <summary>Children read, folded and written at a time by a rebuild.</summary>
    public const int DefaultChildrenPerChunk = 1000;

    /// <summary>
    /// Empties the projections' tables and refolds every child into them, and sets each projection's Marten
    /// progression to the sequence read up to — each projection's in ONE transaction of its own (its tables, rows
    /// and position together; the projections' side by side, on two PostgreSQL backends), so readers keep the old read
    /// models until the new ones are whole (the truncate makes them wait for the commit) and a failed rebuild changes
    /// nothing. Each chunk of children is read once for all the projections, folded in parallel across
    /// children, and written by binary COPY (<see cref="ChildProjection.CopyAsync"/>) while the next chunk is
    /// being read. Refuses while a daemon elsewhere runs any of them.
    /// </summary>
    /// <param name="childrenPerChunk">Children read and written at a time.</param>
    /// <param name="chunkWritten">Told the children written so far after each chunk (progress; tests stop a rebuild half-way with it).</param>
    public async Task<long> RebuildAsync(IReadOnlyList<ChildProjection> rebuilt, int childrenPerChunk = DefaultChildrenPerChunk, Action<int>? chunkWritten = null, CancellationToken ct = default)
    {
        await using var locks = await TryLockAllAsync(rebuilt, ct) ?? throw new ProjectionBusyException(rebuilt.Select(p => p.Name).FirstOrDefault() ?? "");

        var target = await HighWaterMarkAsync();

        await InTransactionsAsync(rebuilt.Count, async sessions =>
        {
            var indexes = new IReadOnlyList<(string Drop, string Create)>[rebuilt.Count];
            // Each projection's tables on its own session (below), so that PostgreSQL loads and indexes them on two
            // backends at once: one COPY runs on one backend, and that bounded the rebuild.
            await Task.WhenAll(rebuilt.Select(async (projection, p) =>
            {
                var (connection, tx) = sessions[p];
                var tables = TableNames([projection]);
                await ExecuteAsync(connection, tx, $"truncate {string.Join(", ", tables)}", ct);
                // The indexes are built after loading, each a sort of the whole table: in memory rather than through
                // temporary files once a council's clock versions outgrow the server's default (64 MB sorts about a
                // million of them). For this transaction only.
                await ExecuteAsync(connection, tx, "set local maintenance_work_mem = '256MB'", ct);
                // Building an index over loaded rows is a sort; keeping it up to date through the load is a descent per
                // row. The truncate already holds readers off until the commit, so the indexes and keys go for the
                // load and come back, from their own definitions, before it.
                indexes[p] = await IndexesAsync(connection, tx, tables, ct);
                foreach (var index in indexes[p]) await ExecuteAsync(connection, tx, index.Drop, ct);
            }));
            var children = await ChildrenAsync(sessions[0].Connection, sessions[0].Tx, 0, target, ct);
            await RefoldAsync(rebuilt, sessions, children.Select(c => c.Child).ToList(), target, null, childrenPerChunk, chunkWritten, ct);
            await Task.WhenAll(rebuilt.Select(async (projection, p) =>
            {
                var (connection, tx) = sessions[p];
                foreach (var index in indexes[p]) await ExecuteAsync(connection, tx, index.Create, ct);
                // The planner's statistics of the tables it emptied and filled, ready at the commit: until autovacuum
                // came round, it would choose among the breach list's indexes from the old tables' figures.
                await ExecuteAsync(connection, tx, $"analyze {string.Join(", ", TableNames([projection]))}", ct);
                await SetProgressionAsync([projection], connection, tx, target, ct);
            }));
        }, ct);
        return target;
    }

    /// <summary>
    /// Backlogs of at least this many events (an import's, a restore's) are caught up by <see cref="CatchUpAsync"/>
    /// the rebuild's way — only the children they touch, each read once for every projection, refolded in parallel
    /// and written by COPY, each projection in one transaction — rather than by Marten's daemon, which loads every event once per
    /// projection and commits batch by batch. Smaller ones, and whatever arrives meanwhile, are the daemon's.
    /// </summary>
    public long RefoldFromEvents { get; init; } = DefaultRefoldFromEvents;

    public const long DefaultRefoldFromEvents = 10_000;

    /// <summary>
    /// Brings every projection (this process holds their locks) up to the daemon's gap-aware high-water mark by
    /// refolding the children with events after the furthest-behind projection's position, when that backlog is
    /// at least <see cref="RefoldFromEvents"/> events; their rows are replaced and each projection's position set to the
    /// mark in one transaction per projection, so a failure leaves a projection as it was and the daemon then carries
    /// on from where it is.
    /// </summary>
    private async Task RefoldBacklogAsync(CancellationToken ct)
    {
        var positions = (await StatusAsync(ct)).ToDictionary(s => s.Name, s => s.Position);
        var from = positions.Values.DefaultIfEmpty(0).Min();
        if (await CommittedCeilingAsync(ct) - from < RefoldFromEvents) return;
        var target = await HighWaterMarkAsync();
        if (target - from < RefoldFromEvents) return;
        await InTransactionsAsync(projections.Count, async sessions =>
        {
            var children = await ChildrenAsync(sessions[0].Connection, sessions[0].Tx, from, target, ct);
            // A projection holds rows only of the children it has seen an event of: none of a child whose first event
            // comes after its position (most of an import). Only the others' rows are deleted before the copy.
            var first = children.ToDictionary(c => c.Child, c => c.FirstSequence);
            await RefoldAsync(projections, sessions, children.Select(c => c.Child).ToList(), target,
                (projection, child) => first[child] <= positions.GetValueOrDefault(projection.Name), DefaultChildrenPerChunk, null, ct);
            await Task.WhenAll(projections.Select(async (projection, p) =>
            {
                // A backlog this size can change the tables' make-up (an import into an empty council): fresh statistics.
                await ExecuteAsync(sessions[p].Connection, sessions[p].Tx, $"analyze {string.Join(", ", TableNames([projection]))}", ct);
                await SetProgressionAsync([projection], sessions[p].Connection, sessions[p].Tx, target, ct);
            }));
        }, ct);
    }

    /// <summary>
    /// The daemon's own gap-aware high-water mark: never past a sequence a live transaction may still commit,
    /// which a progression set beyond it would skip for good.
    /// </summary>
    private async Task<long> HighWaterMarkAsync()
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.PrepareForRebuildsAsync();
        return daemon.HighWaterMark();
    }

    private static string[] TableNames(IEnumerable<ChildProjection> projections) =>
        projections.SelectMany(p => p.Tables).Select(t => t.Name).Distinct().ToArray();

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="count"/> transactions, each on a connection of its own — one per
    /// projection, so that each projection's rows and position commit together — committed when it returns, every one
    /// rolled back when it throws. A projection is whole in its own transaction: its rows and its position in Marten's
    /// progression move together, as the daemon moves each projection's on its own.
    /// </summary>
    private async Task InTransactionsAsync(int count, Func<IReadOnlyList<(NpgsqlConnection Connection, NpgsqlTransaction Tx)>, Task> work, CancellationToken ct)
    {
        var sessions = new List<(NpgsqlConnection Connection, NpgsqlTransaction Tx)>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var connection = await OpenAsync(ct);
                try { sessions.Add((connection, await connection.BeginTransactionAsync(ct))); }
                catch
                {
                    await connection.DisposeAsync();
                    throw;
                }
            }
            await work(sessions);
            foreach (var (_, tx) in sessions) await tx.CommitAsync(ct);
        }
        catch
        {
            // At once: Npgsql would otherwise roll back lazily, on the pooled connection's next use, and a rebuild's
            // truncate lock would hold every reader until then.
            foreach (var (_, tx) in sessions)
            {
                try { await tx.RollbackAsync(CancellationToken.None); }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
            }
            throw;
        }
        finally
        {
            foreach (var (connection, tx) in sessions)
            {
                await tx.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Refolds <paramref name="children"/> from their streams up to <paramref name="target"/> into every projection
    /// of <paramref name="rebuilt"/>, each on its own session of <paramref name="sessions"/>. Each chunk of children is read once for all the
    /// projections, on a connection of its own (committed up to the target) while the chunk before is folded;
    /// folded in parallel across children; and written by binary COPY (<see cref="ChildProjection.CopyAsync"/>), every
    /// projection's rows at once, while the next chunk is folded.
    /// </summary>
    /// <param name="hasRows">Null for a rebuild (the tables were emptied in this transaction); otherwise whether a projection may
    /// still hold rows of a child, which are deleted before its new ones are copied.</param>
    private async Task RefoldAsync(IReadOnlyList<ChildProjection> rebuilt, IReadOnlyList<(NpgsqlConnection Connection, NpgsqlTransaction Tx)> sessions,
        IReadOnlyList<(string Tenant, string Child)> children, long target, Func<ChildProjection, (string Tenant, string Child), bool>? hasRows,
        int childrenPerChunk, Action<int>? chunkWritten, CancellationToken ct)
    {
        Task<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>>? reading = null;
        Task copying = Task.CompletedTask;
        try
        {
            var reader = new MartenEventStore(store);
            var chunks = children.Chunk(childrenPerChunk).ToList();
            reading = chunks.Count > 0 ? reader.ReadStreamsAsync(chunks[0], target, ct) : null;
            var written = 0;
            for (var i = 0; i < chunks.Count; i++)
            {
                var streams = await reading!;
                reading = i + 1 < chunks.Count ? reader.ReadStreamsAsync(chunks[i + 1], target, ct) : null;
                var batches = ChildProjection.FoldChildren(rebuilt, chunks[i], streams, encoded: true);
                await copying;
                if (i > 0)
                {
                    written += chunks[i - 1].Length;
                    chunkWritten?.Invoke(written);
                }
                copying = CopyAsync(batches);
            }
            await copying;
            if (chunks.Count > 0) chunkWritten?.Invoke(written + chunks[^1].Length);
        }
        catch
        {
            // A copy still on the connection, and a read on its own, finish (or fail) before the caller rolls back.
            try { await copying; }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException) { }
            if (reading is not null)
                try { await reading; }
                catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException) { }
            throw;
        }

        // Each projection's rows on its own session, at once.
        Task CopyAsync(IReadOnlyList<FoldedChildren> batches) =>
            Task.WhenAll(rebuilt.Select((projection, p) =>
            {
                var replacing = hasRows is null ? null : batches[p].Folded.Where(c => hasRows(projection, c)).ToList();
                return projection.CopyAsync(sessions[p].Connection, sessions[p].Tx, batches[p], ct, replacing);
            }));
    }

    private static async Task SetProgressionAsync(IReadOnlyList<ChildProjection> projections, NpgsqlConnection connection, NpgsqlTransaction tx, long target, CancellationToken ct)
    {
        foreach (var projection in projections)
        {
            await using var progression = new NpgsqlCommand(
                $"""
                insert into {Progression} (name, last_seq_id, last_updated) values ($1, $2, transaction_timestamp())
                on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated
                """, connection, tx);
            progression.Parameters.Add(new() { Value = ShardOf(projection).Identity });
            progression.Parameters.Add(new() { Value = target });
            await progression.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The tables' keys and indexes, each as the statement that drops it and the one that makes it again from its
    /// own definition (so a migration that changes one is followed without a second copy here).
    /// </summary>
    private static async Task<IReadOnlyList<(string Drop, string Create)>> IndexesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] tables, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            select format('alter table %I.%I drop constraint %I', n.nspname, c.relname, k.conname),
                   format('alter table %I.%I add constraint %I %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid))
            from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = current_schema() and c.relname = any($1) and k.contype in ('p', 'u')
            union all
            select format('drop index %I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid)
            from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = current_schema() and c.relname = any($1)
              and not exists (select 1 from pg_constraint k where k.conindid = i.oid)
            """, connection, tx);
        cmd.Parameters.Add(new() { Value = tables, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        var indexes = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1)));
        return indexes;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The parked children, oldest first; of one council when <paramref name="tenant"/> is given.</summary>
    public async Task<IReadOnlyList<ParkedChild>> ParkedAsync(string? tenant = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "select projection, tenant, child, error, parked_at from parked_children where $1::text is null or tenant = $1 order by parked_at, projection, tenant, child",
            connection);
        cmd.Parameters.Add(new() { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var parked = new List<ParkedChild>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            parked.Add(new ParkedChild(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return parked;
    }

    /// <summary>
    /// Refolds one child in every projection from its whole committed stream, through the same row writer as
    /// the daemon, in one transaction: a child that now folds (its tenant's calendar extended, a fix deployed)
    /// is unparked and its rows replaced; one that still does not stays parked with the new error. Safe beside a
    /// running daemon: both write the fold of the stream as committed, and the daemon refolds the child again
    /// on its next event.
    /// </summary>
    public async Task<IReadOnlyList<RetryOutcome>> RetryAsync(string tenant, string child, CancellationToken ct = default)
    {
        var upTo = await CommittedCeilingAsync(ct);
        var streams = await new MartenEventStore(store).ReadStreamsAsync([(tenant, child)], upTo, ct);
        if (!streams.TryGetValue((tenant, child), out var stream) || stream.Count == 0)
            throw new KeyNotFoundException($"council {tenant} has no child {child} in the event log");
        await using (var session = store.LightweightSession())
        {
            foreach (var projection in projections) projection.Write(session, [(tenant, child)], streams);
            await session.SaveChangesAsync(ct);
        }
        var parked = (await ParkedAsync(tenant, ct)).Where(p => p.Child == child).ToDictionary(p => p.Projection);
        return projections.Select(p => parked.TryGetValue(p.Name, out var still)
            ? new RetryOutcome(p.Name, true, still.Error)
            : new RetryOutcome(p.Name, false, null)).ToList();
    }

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default)
    {
        var ceiling = await CommittedCeilingAsync(ct);
        await using var connection = await OpenAsync(ct);
        var result = new List<ProjectionStatus>();
        foreach (var projection in projections)
        {
            await using var cmd = new NpgsqlCommand(
                $"""
                select p.last_seq_id, p.last_updated,
                       exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted
                               and l.database = (select oid from pg_database where datname = current_database())
                               and ((l.classid::bigint << 32) | l.objid::bigint) = $2),
                       (select count(*)::int from parked_children c where c.projection = split_part($1, ':', 1))
                from (select $1::text as name) n left join {Progression} p on p.name = n.name
                """, connection);
            cmd.Parameters.Add(new() { Value = ShardOf(projection).Identity });
            cmd.Parameters.Add(new() { Value = LockIdOf(projection) });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var position = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            DateTimeOffset? updated = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
            result.Add(new ProjectionStatus(projection.Name, position, ceiling, reader.GetBoolean(2), updated, reader.GetInt32(3)));
        }
        return result;
    }

    /// <summary>The highest committed sequence (0 when the log is empty).</summary>
    public async Task<long> CommittedCeilingAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {EventStoreOptions.SchemaName}.mt_events", connection);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The children with events in the sequences (<paramref name="after"/>, <paramref name="upTo"/>], each with the sequence
    /// of its first event (its stream's version 1) when that is among them, else 0 (it began at or before <paramref name="after"/>).
    /// </summary>
    private async Task<IReadOnlyList<((string Tenant, string Child) Child, long FirstSequence)>> ChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long after, long upTo, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            select tenant_id, stream_id, coalesce(min(seq_id) filter (where version = 1), 0)
            from {EventStoreOptions.SchemaName}.mt_events where seq_id > $1 and seq_id <= $2
            group by tenant_id, stream_id order by tenant_id, stream_id
            """,
            connection, tx);
        cmd.Parameters.Add(new() { Value = after });
        cmd.Parameters.Add(new() { Value = upTo });
        var children = new List<((string, string), long)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) children.Add(((reader.GetString(0), reader.GetString(1)), reader.GetInt64(2)));
        return children;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>The shards' locks on one session, or null (none kept) when a daemon elsewhere holds any of them.</summary>
    private async Task<ShardLocks?> TryLockAllAsync(IReadOnlyList<ChildProjection> wanted, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        var held = new ShardLocks(connection);
        try
        {
            foreach (var projection in wanted)
            {
                var id = LockIdOf(projection);
                await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = id } } };
                if (!(bool)(await cmd.ExecuteScalarAsync(ct))!)
                {
                    await held.DisposeAsync();
                    return null;
                }
                held.Ids.Add(id);
            }
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    /// <summary>Session-level advisory locks, released with their connection (and by the server if the process dies).</summary>
    private sealed class ShardLocks(NpgsqlConnection connection) : IAsyncDisposable
    {
        public List<long> Ids { get; } = [];

        public async ValueTask DisposeAsync()
        {
            try
            {
                foreach (var id in Ids)
                {
                    await using var cmd = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = id } } };
                    await cmd.ExecuteScalarAsync();
                }
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The session is gone, and its locks with it.
            }
            await connection.DisposeAsync();
        }
    }
}
