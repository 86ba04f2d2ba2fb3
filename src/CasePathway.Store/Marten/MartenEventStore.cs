using CasePathway.Domain.Events;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Store.Marten;

/// <summary>
/// The event store on Marten's tables. An append decides before it writes — which submitted ids are already
/// stored (and with what content), and whether each stream is at the expected version — so a refused append
/// takes no sequence number and leaves no gap for the async daemon to wait on. The writes (streams, events and
/// receipts) then go in one transaction, as Marten's own append writes them (<see cref="EventRows"/>,
/// <see cref="NewStreamCopy"/>), whose keys catch a writer that slipped in between.
/// </summary>
public sealed class MartenEventStore(IDocumentStore store, IClock? clock = null) : IEventStore
{
    // A writer that slipped in between the decision and the commit with an expected version of "any", or a
    // race on one new id: decide again from what is now stored.
    private const int MaxAttempts = 5;

    // The one way in decides again after each race it loses (DecideAndAppendAsync). Eight clients writing to one
    // child at once lost five races in a row, so there are enough attempts for a crowd, each after a short random
    // pause that breaks the lockstep.
    private const int MaxRaceAttempts = 25;

    /// <summary>Up to this many streams and ids, the decision's read is a prepared statement (the API's appends).</summary>
    private const int PreparedDecisionKeys = 16;

    /// <summary>From this many events for new streams in one append, they go in by COPY (<see cref="NewStreamCopy"/>).</summary>
    internal const int CopyFromEvents = 64;

    private readonly IClock _clock = clock ?? SystemClock.Instance;

    public IDocumentStore Store => store;

    public async Task<AppendResult> AppendAsync(string tenant, string stream, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken ct = default) =>
        (await BulkAppendAsync([new StreamAppend(tenant, stream, expected, events)], ct)).Streams[0];

    public async Task<BulkAppendResult> BulkAppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        foreach (var a in appends) Validate(a.Tenant, a.Stream, a.Events);
        var hashes = appends.Select(a => a.Events.Select(e => EventContentHash.Compute(a.Tenant, a.Stream, e)).ToArray()).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendOnceAsync(appends, hashes, ct);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsRace(e))
            {
                // The next decision sees what the other writer stored: a stream that moved under an exact
                // expected version is then a ConcurrencyException, an id stored with other content a conflict.
            }
        }
    }

    private async Task<BulkAppendResult> AppendOnceAsync(IReadOnlyList<StreamAppend> appends, byte[][][] hashes, CancellationToken ct)
    {
        // One pooled connection answers the decision's questions (one round trip) and carries the writes.
        await using var connection = await OpenAsync(ct);
        var keys = appends.Select(a => (a.Tenant, a.Stream)).Distinct().ToList();
        var ids = appends.SelectMany(a => a.Events.Select(e => (a.Tenant, e.Id))).Distinct().ToList();
        var (versions, stored) = await StoredStateAsync(connection, keys, ids, ct);
        return await WriteAsync(connection, appends, hashes, versions, stored, newIdsUnread: false, ct);
    }

    /// <summary>
    /// The one way in's append: reads what <paramref name="decide"/> needs — the streams' events — and the stored
    /// content of the submitted <paramref name="ids"/> in one round trip on one connection, lets it decide, and
    /// writes its appends on that connection under the versions it read (a single append: one more round trip,
    /// its commit included). An import (more keys) reads the streams, decides, then looks up only the ids of what
    /// it appends to children already stored. When another writer got in between (a stream moved, a new id or stream stored
    /// meanwhile), everything is read and decided again, after a short random pause that breaks a crowd's lockstep.
    /// <paramref name="decide"/> returns what to append (nothing: nothing is written); each append's expected
    /// version is checked against the events it was given.
    /// </summary>
    public async Task<BulkAppendResult> DecideAndAppendAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, IReadOnlyCollection<(string Tenant, Guid Id)> ids,
        Func<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>, IReadOnlyList<StreamAppend>> decide,
        CancellationToken ct = default)
    {
        var lookUpEveryId = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                // A single append (the API's) reads the streams and the ids' receipts in one prepared round trip; an import
                // reads the streams first and the receipts once it knows which children are new.
                var single = streams.Count + ids.Count <= PreparedDecisionKeys;
                var (events, stored) = single
                    ? await DecisionStateAsync(connection, streams, ids, ct)
                    : (await ReadStreamsAsync(connection, streams, long.MaxValue, ct), null);
                var appends = decide(events);
                if (appends.Count == 0) return new BulkAppendResult(0, 0, []);
                foreach (var a in appends) Validate(a.Tenant, a.Stream, a.Events);
                var hashes = appends.Select(a => a.Events.Select(e => EventContentHash.Compute(a.Tenant, a.Stream, e)).ToArray()).ToArray();
                var versions = events.ToDictionary(s => s.Key, s => s.Value.Count == 0 ? 0 : s.Value[^1].Version);
                // An import's new children: their ids are not looked up. An id a new stream's event carries can only be
                // stored already under another child (its content hash names the child, so that is a conflict) or by a
                // writer racing this one — both rare — and the receipts' key catches either when they are copied, before
                // a sequence number is drawn (WriteAsync). That failure is a lost race: the next attempt looks every id
                // up. Looking them up was a third of PostgreSQL's work in a first night.
                var newIdsUnread = !single && !lookUpEveryId
                    && appends.Where(a => versions.GetValueOrDefault((a.Tenant, a.Stream)) == 0).Sum(a => a.Events.Count) >= CopyFromEvents;
                stored ??= await ReceiptsAsync(connection, appends
                    .Where(a => !newIdsUnread || versions.GetValueOrDefault((a.Tenant, a.Stream)) > 0)
                    .SelectMany(a => a.Events.Select(e => (a.Tenant, e.Id))).Distinct().ToList(), ct);
                return await WriteAsync(connection, appends, hashes, versions, stored, newIdsUnread, ct);
            }
            catch (Exception e) when (attempt < MaxRaceAttempts && IsRace(e))
            {
                lookUpEveryId = true;
                // Eight writers on one child at once can lose several races in a row: a short random pause each time.
                await Task.Delay(Random.Shared.Next(1, 5 + 5 * Math.Min(attempt, 10)), ct);
            }
        }
    }

    private async Task<BulkAppendResult> WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<StreamAppend> appends, byte[][][] hashes,
        IReadOnlyDictionary<(string Tenant, string Stream), long> versions, IReadOnlyDictionary<(string Tenant, Guid Id), byte[]> stored,
        bool newIdsUnread, CancellationToken ct)
    {
        var planned = new Dictionary<(string Tenant, Guid Id), byte[]>();
        var plans = new List<StreamPlan>(appends.Count);
        var latest = new Dictionary<(string Tenant, string Stream), StreamPlan>();
        for (var i = 0; i < appends.Count; i++)
        {
            var a = appends[i];
            // A stream listed twice in one bulk continues from its earlier plan.
            var current = latest.TryGetValue((a.Tenant, a.Stream), out var earlier) ? earlier.VersionAfter : versions.GetValueOrDefault((a.Tenant, a.Stream));
            var plan = AppendDecision.Decide(a.Tenant, a.Stream, a.Expected, current, a.Events, hashes[i], stored, planned);
            plans.Add(plan);
            latest[(a.Tenant, a.Stream)] = plan;
        }
        var results = plans.Select(p => new AppendResult(p.VersionAfter, p.NewEventIndexes.Count, p.AlreadyPresent)).ToList();
        var result = new BulkAppendResult(results.Sum(r => r.Appended), results.Sum(r => r.AlreadyPresent), results);
        if (result.Appended == 0) return result;

        var storedAt = _clock.GetCurrentInstant();
        var graph = ((DocumentStore)store).Events;
        var receipts = new List<EventRows.Receipt>(result.Appended);
        // Many new children at once (an import) go in by COPY; a few (the API) as rows of one batch. New children whose
        // ids were not looked up always go by COPY, whose receipts are written before anything draws a sequence number.
        var copyNew = newIdsUnread || plans.Where(p => p.VersionBefore == 0).Sum(p => p.NewEventIndexes.Count) >= CopyFromEvents;
        var copied = new List<NewStreamCopy.NewStream>();
        var rows = new List<EventRows.Stream>();
        for (var i = 0; i < appends.Count; i++)
        {
            var (a, plan) = (appends[i], plans[i]);
            if (plan.NewEventIndexes.Count == 0) continue;
            if (plan.VersionBefore == 0 && copyNew)
                copied.Add(new NewStreamCopy.NewStream(a.Tenant, a.Stream,
                    plan.NewEventIndexes.Count == a.Events.Count ? a.Events : plan.NewEventIndexes.Select(j => a.Events[j]).ToArray()));
            else
                rows.Add(new EventRows.Stream(a.Tenant, a.Stream, plan.VersionBefore, plan.NewEventIndexes
                    .Select(j => EnvelopeHeaders.ToMartenEvent(a.Events[j], a.Events[j].Data, graph.BuildEvent, storedAt))
                    .ToArray()));
            foreach (var j in plan.NewEventIndexes) receipts.Add(new EventRows.Receipt(a.Tenant, a.Events[j].Id, a.Stream, hashes[i][j]));
        }

        // Once writing starts it is finished or rolled back, never abandoned half-way on a caller's cancellation:
        // a COPY or batch cut off mid-flight can leave the connection busy and the transaction open.
        ct.ThrowIfCancellationRequested();
        var write = CancellationToken.None;
        var serializer = store.Options.Serializer();
        if (copied.Count == 0)
        {
            // Streams, events and receipts in one batch and so one implicit transaction: a single round trip,
            // its commit included; any statement failing rolls back the others.
            await EventRows.WriteAsync(connection, null, serializer, rows, receipts, write);
            return result;
        }
        await using var tx = await connection.BeginTransactionAsync(write);
        try
        {
            // The receipts first: their key is the guard on ids not looked up (an import's new children), and a
            // failure here has drawn no sequence number, so it leaves no gap for the daemon to wait on.
            await EventRows.CopyReceiptsAsync(connection, receipts, write);
            await NewStreamCopy.WriteAsync(connection, serializer, graph, storedAt, copied, write);
            await EventRows.WriteAsync(connection, tx, serializer, rows, [], write);
            await tx.CommitAsync(write);
        }
        catch
        {
            // At once, so the pooled connection goes back clean (Npgsql would otherwise roll back on its next use).
            try { await tx.RollbackAsync(CancellationToken.None); }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
            throw;
        }
        return result;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string tenant, string stream, StreamReadOptions? options = null, CancellationToken ct = default)
    {
        await using var session = store.QuerySession(tenant);
        var events = await session.Events.FetchStreamAsync(
            stream,
            version: options?.ToVersion ?? 0,
            timestamp: options?.RecordedBy is { } by ? StoredPrecision.Truncate(by).ToDateTimeOffset() : null,
            token: ct);
        return events.Select(EnvelopeHeaders.ToStoredEvent).ToList();
    }

    public async Task<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>> ReadStreamsAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, long upTo, CancellationToken ct = default)
    {
        if (streams.Count == 0) return new Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>();
        await using var connection = await OpenAsync(ct);
        return await ReadStreamsAsync(connection, streams, upTo, ct);
    }

    /// <summary>The streams' events up to <paramref name="upTo"/> on <paramref name="connection"/>, planned at each call (an import's and a projection's hundreds of keys).</summary>
    private async Task<Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>> ReadStreamsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string Tenant, string Stream)> streams, long upTo, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(StreamsCommand(streams, upTo));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadStreamRowsAsync(reader, streams, ct);
    }

    /// <summary>
    /// One set-based query for all the streams (the projections and the one way in read hundreds of children at
    /// a time): Marten's per-stream fetches cost a statement each.
    /// Marten's tombstones are left out: when a unit of work fails after its events drew sequence numbers (a
    /// connection lost mid-append, as in a database restart), Marten fills those numbers with "tombstone" events in
    /// a stream of its own so that its high-water mark can pass them. They are no child's events; read as one, the
    /// daemon's batch failed on their type and every projection stood still (issue 16).
    /// <para>
    /// Each key is looked up by the streams' unique index (a lateral subquery that cannot be pulled up into a join),
    /// and an import's read is planned at each call (not prepared): as a prepared join, a generic plan made while the
    /// table was small (an import's first minutes, before autovacuum's analyze) sorted and merged the whole table at
    /// every call — 0.4–0.7 s a chunk, most of an SSD night's appending. A fresh plan sees the table's current size.
    /// </para>
    /// </summary>
    private static NpgsqlBatchCommand StreamsCommand(IReadOnlyCollection<(string Tenant, string Stream)> streams, long upTo)
    {
        var cmd = new NpgsqlBatchCommand(
            $"""
            select e.seq_id, e.tenant_id, e.stream_id, e.version, e.id, e.type, e.data, e.timestamp, e.correlation_id, e.headers
            from unnest($1::text[], $2::text[]) as u(tenant, id)
            cross join lateral (
                select * from {EventStoreOptions.SchemaName}.mt_events e
                where e.tenant_id = u.tenant and e.stream_id = u.id and e.seq_id <= $3 and e.type <> $4
                offset 0) e
            order by e.tenant_id, e.stream_id, e.version
            """);
        var keys = streams.Distinct().ToList();
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(s => s.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(s => s.Stream).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = upTo, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Tombstone.Name, NpgsqlDbType = NpgsqlDbType.Text });
        return cmd;
    }

    private async Task<Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>> ReadStreamRowsAsync(
        NpgsqlDataReader reader, IReadOnlyCollection<(string Tenant, string Stream)> streams, CancellationToken ct)
    {
        var result = new Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>();
        var serializer = store.Options.Serializer();
        while (await reader.ReadAsync(ct))
        {
            var typeName = reader.GetString(5);
            var type = EventTypes.TypeOf(typeName) ?? throw new InvalidOperationException($"Stored event type {typeName} is not in the catalogue.");
            var body = serializer.FromJson(type, reader, 6);
            var headers = reader.IsDBNull(9) ? null : serializer.FromJson<Dictionary<string, object>>(reader, 9);
            var e = EnvelopeHeaders.ToStoredEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetGuid(4), typeName, body,
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                name => headers is not null && headers.TryGetValue(name, out var value) ? value : null);
            var key = (e.Tenant, e.Stream);
            if (!result.TryGetValue(key, out var list)) result[key] = list = new List<StoredEvent>();
            ((List<StoredEvent>)list).Add(e);
        }
        foreach (var key in streams) result.TryAdd(key, []);
        return result;
    }

    /// <summary>
    /// Splits the streams an async daemon batch touches: those that lie wholly in it — their events in the batch
    /// are versions 1 to n, none missing — mapped from the batch's own events to exactly what
    /// <see cref="ReadStreamsAsync"/> would read up to the batch's last sequence; and the others (begun in an
    /// earlier batch), which must be read. A batch holds every committed event in its range of sequences, and a
    /// stream's versions rise with its sequences, so a stream that begins in the batch has no event before it
    /// and none inside its range that the batch lacks. Marten's tombstones are no child's events, as in
    /// <see cref="ReadStreamsAsync"/>.
    /// </summary>
    public static (Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> Whole, List<(string Tenant, string Stream)> ToRead)
        StreamsOfBatch(IReadOnlyList<IEvent> batch)
    {
        var byStream = new Dictionary<(string Tenant, string Stream), List<IEvent>>();
        foreach (var e in batch)
        {
            if (e.EventTypeName == Tombstone.Name) continue;
            var key = (e.TenantId, e.StreamKey ?? throw new InvalidOperationException($"Event {e.Id} has no stream key."));
            if (!byStream.TryGetValue(key, out var list)) byStream[key] = list = [];
            list.Add(e);
        }
        var whole = new Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>();
        var toRead = new List<(string Tenant, string Stream)>();
        foreach (var (key, events) in byStream)
        {
            events.Sort((a, b) => a.Version.CompareTo(b.Version));
            var complete = true;
            for (var i = 0; i < events.Count && complete; i++) complete = events[i].Version == i + 1;
            if (complete) whole[key] = events.Select(EnvelopeHeaders.ToStoredEvent).ToList();
            else toRead.Add(key);
        }
        return (whole, toRead);
    }

    /// <summary>
    /// What a single append (the API's: up to <see cref="PreparedDecisionKeys"/> streams and ids) decides on, in one
    /// round trip: the streams' events, and the content hash of each submitted id already stored.
    /// </summary>
    private async Task<(Dictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> Events, Dictionary<(string Tenant, Guid Id), byte[]> Hashes)> DecisionStateAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string Tenant, string Stream)> streams, IReadOnlyCollection<(string Tenant, Guid Id)> ids, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(StreamsCommand(streams, long.MaxValue));
        batch.BatchCommands.Add(ReceiptsCommand(ids));
        // Prepared once per pooled connection, as the write is (EventRows): planning would be a tenth of a single
        // append's cost, and autovacuum's analyze of a table that grew replaces the plan. An import's reads are not
        // (ReadStreamsAsync): a generic plan made on a small table (a council's first import) scanned the whole
        // table for each key once it was large.
        await batch.PrepareAsync(ct);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var events = await ReadStreamRowsAsync(reader, streams, ct);
        await reader.NextResultAsync(ct);
        var hashes = new Dictionary<(string Tenant, Guid Id), byte[]>();
        await ReadReceiptRowsAsync(reader, hashes, ct);
        return (events, hashes);
    }

    /// <summary>The content hash of each of <paramref name="ids"/> already stored (none asked: no round trip).</summary>
    private static async Task<Dictionary<(string Tenant, Guid Id), byte[]>> ReceiptsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string Tenant, Guid Id)> ids, CancellationToken ct)
    {
        var hashes = new Dictionary<(string Tenant, Guid Id), byte[]>();
        if (ids.Count == 0) return hashes;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(ReceiptsCommand(ids));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await ReadReceiptRowsAsync(reader, hashes, ct);
        return hashes;
    }

    /// <summary>The rows of <see cref="ReceiptsCommand"/>: each id's content hash.</summary>
    private static async Task ReadReceiptRowsAsync(NpgsqlDataReader reader, Dictionary<(string Tenant, Guid Id), byte[]> hashes, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct)) hashes[(reader.GetString(0), reader.GetGuid(1))] = reader.GetFieldValue<byte[]>(2);
    }

    private static NpgsqlBatchCommand ReceiptsCommand(IReadOnlyCollection<(string Tenant, Guid Id)> ids)
    {
        var byId = new NpgsqlBatchCommand(
            """
            select r.tenant, r.id, r.hash
            from unnest($1::text[], $2::uuid[]) as u(tenant, id)
            cross join lateral (select * from event_receipts r where r.tenant = u.tenant and r.id = u.id offset 0) r
            """);
        byId.Parameters.Add(new NpgsqlParameter { Value = ids.Select(s => s.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        byId.Parameters.Add(new NpgsqlParameter { Value = ids.Select(s => s.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return byId;
    }

    public async IAsyncEnumerable<SourcedEvent> ReadSourceAsync(string tenant, string sourceSystem, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // One streamed query (a cursor, not a list): a council's whole feed can be a million events.
        var serializer = store.Options.Serializer();
        await using var connection = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            select e.id, e.stream_id, e.type, e.data, e.headers->>'{EnvelopeHeaders.SourceSystem}', e.headers->>'{EnvelopeHeaders.SourceKey}'
            from {EventStoreOptions.SchemaName}.mt_events e
            where e.tenant_id = $1 and (e.headers->>'{EnvelopeHeaders.SourceSystem}' = $2 or e.type = $3)
            order by e.seq_id
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sourceSystem, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = EventTypes.NameOf(new EventRetracted(Guid.Empty)), NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            var child = reader.GetString(1);
            var typeName = reader.GetString(2);
            var type = EventTypes.TypeOf(typeName) ?? throw new InvalidOperationException($"Stored event type {typeName} is not in the catalogue.");
            var data = (IPathwayEventData)serializer.FromJson(type, reader, 3);
            var system = reader.IsDBNull(4) ? null : reader.GetString(4);
            var key = reader.IsDBNull(5) ? null : reader.GetString(5);
            yield return new SourcedEvent(id, child, system, key, data);
        }
    }

    public async Task<ISourceImportRun> StartSourceImportAsync(string tenant, string sourceSystem, CancellationToken ct = default) =>
        await SourceImportRun.StartAsync(store, tenant, sourceSystem, ct);

    /// <summary>The stream's current version (0: no such stream).</summary>
    public async Task<long> StreamVersionAsync(string tenant, string stream, CancellationToken ct = default) =>
        (await StreamVersionsAsync([(tenant, stream)], ct)).GetValueOrDefault((tenant, stream));

    /// <summary>The current version of each stream (0: none yet), in one round trip.</summary>
    public async Task<IReadOnlyDictionary<(string Tenant, string Stream), long>> StreamVersionsAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await StoredStateAsync(connection, streams, [], ct)).Versions;
    }

    /// <summary>What an append decides on, in one round trip: each stream's version, and the content hash of each submitted id already stored.</summary>
    private static async Task<(Dictionary<(string Tenant, string Stream), long> Versions, Dictionary<(string Tenant, Guid Id), byte[]> Hashes)> StoredStateAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string Tenant, string Stream)> streams, IReadOnlyCollection<(string Tenant, Guid Id)> ids, CancellationToken ct)
    {
        var versions = new Dictionary<(string Tenant, string Stream), long>();
        var hashes = new Dictionary<(string Tenant, Guid Id), byte[]>();
        if (streams.Count == 0 && ids.Count == 0) return (versions, hashes);
        await using var batch = new NpgsqlBatch(connection);
        var byStream = new NpgsqlBatchCommand(
            $"""
            select s.tenant_id, s.id, s.version
            from unnest($1::text[], $2::text[]) as u(tenant, id)
            cross join lateral (select * from {EventStoreOptions.SchemaName}.mt_streams s where s.tenant_id = u.tenant and s.id = u.id offset 0) s
            """);
        byStream.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        byStream.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Stream).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var byId = ReceiptsCommand(ids);
        batch.BatchCommands.Add(byStream);
        batch.BatchCommands.Add(byId);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        await reader.NextResultAsync(ct);
        await ReadReceiptRowsAsync(reader, hashes, ct);
        return (versions, hashes);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    private static bool IsRace(Exception e) => e is JasperFx.ConcurrencyException
        or JasperFx.Events.ExistingStreamIdCollisionException
        or global::Marten.Exceptions.ExistingStreamIdCollisionException
        or JasperFx.DocumentAlreadyExistsException
        || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected };

    private static void Validate(string tenant, string stream, IReadOnlyList<NewEvent> events)
    {
        if (string.IsNullOrEmpty(tenant)) throw new ArgumentException("A tenant is required.", nameof(tenant));
        if (string.IsNullOrEmpty(stream)) throw new ArgumentException("A stream is required.", nameof(stream));
        ArgumentNullException.ThrowIfNull(events);
    }
}
