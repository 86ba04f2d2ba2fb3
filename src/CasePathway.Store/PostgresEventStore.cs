using System.Text;
using System.Text.Json;
using CasePathway.Domain.Time;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Store;

/// <summary>
/// The event store on PostgreSQL (tables in Schema/Migrations/0001_event_store.sql). An append locks the
/// stream's row, decides (idempotency, expected version) before taking any sequence number, then inserts,
/// moves the stream's version and notifies <see cref="NotificationChannel"/> — all in one transaction.
/// </summary>
public sealed partial class PostgresEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    /// <summary>LISTEN on this channel to be woken after appends; the payload is the highest seq appended.</summary>
    public const string NotificationChannel = "casepathway_events";

    // Two transactions storing the same new id on different streams: the later fails on the id index
    // (or deadlocks on it in a bulk); a fresh attempt then sees the stored event and decides as usual.
    private const int MaxAttempts = 5;

    private const string Columns =
        "seq, tenant, stream, version, id, type, data::text, occurred_at, occurred_on, recorded_at, " +
        "recorded_at_inferred, stored_at, recorded_by, source_system, source_key, correlation_id";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public async Task<AppendResult> AppendAsync(string tenant, string stream, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken ct = default)
    {
        Validate(tenant, stream, events);
        var hashes = Hash(tenant, stream, events);
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await DataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                var result = await AppendCoreAsync(connection, tenant, stream, expected, events, hashes, ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (PostgresException e) when (attempt < MaxAttempts && IsIdRace(e))
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Appends inside the caller's READ COMMITTED transaction (e.g. with other writes that must commit
    /// together). The caller commits; a race with another transaction on the same new event id surfaces as a
    /// <see cref="PostgresException"/> (23505) rather than being retried.
    /// </summary>
    public Task<AppendResult> AppendAsync(NpgsqlTransaction transaction, string tenant, string stream, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken ct = default)
    {
        Validate(tenant, stream, events);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction is already finished.", nameof(transaction));
        // Under a transaction-wide snapshot the lookup of stored ids, made after the stream lock, could miss
        // events committed while the lock was awaited.
        if (transaction.IsolationLevel is not (System.Data.IsolationLevel.ReadCommitted or System.Data.IsolationLevel.Unspecified))
            throw new ArgumentException($"Appends need a READ COMMITTED transaction, not {transaction.IsolationLevel}.", nameof(transaction));
        return AppendCoreAsync(connection, tenant, stream, expected, events, Hash(tenant, stream, events), ct);
    }

    private static async Task<AppendResult> AppendCoreAsync(
        NpgsqlConnection connection, string tenant, string stream, ExpectedVersion expected,
        IReadOnlyList<NewEvent> events, byte[][] hashes, CancellationToken ct)
    {
        if (events.Count == 0) return new AppendResult(await StreamVersionAsync(connection, tenant, stream, ct), 0, 0);

        // One round trip: make sure the stream row exists, lock it (this also gives the transaction its
        // xid before any nextval, which the high-water mark relies on), and fetch the submitted ids
        // already stored — read after the lock, so it sees every earlier append to this stream.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("INSERT INTO streams (tenant, id, version) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING", tenant, stream),
                Command("SELECT version, pg_current_xact_id()::text FROM streams WHERE tenant = $1 AND id = $2 FOR UPDATE", tenant, stream),
                Command("SELECT id, content_hash FROM events WHERE id = ANY($1)", events.Select(e => e.Id).ToArray()),
            },
        };
        long current;
        var stored = new Dictionary<Guid, byte[]>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            current = reader.GetInt64(0);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) stored[reader.GetGuid(0)] = (byte[])reader[1];
        }

        var plan = AppendDecision.Decide(tenant, stream, expected, current, events, hashes, stored, []);
        if (plan.NewEventIndexes.Count == 0) return new AppendResult(current, 0, plan.AlreadyPresent);

        var fresh = plan.NewEventIndexes.Select(i => events[i]).ToArray();
        await using var insert = new NpgsqlCommand("""
            WITH ins AS (
                INSERT INTO events (seq, id, tenant, stream, version, type, data, occurred_at, occurred_on,
                                    recorded_at, recorded_at_inferred, recorded_by, source_system, source_key,
                                    correlation_id, content_hash)
                SELECT nextval('events_seq'), u.id, $1, $2, $3 + u.ord, u.type, u.data::jsonb, u.occurred_at, u.occurred_on,
                       coalesce(u.recorded_at, now()), u.inferred, u.recorded_by, u.source_system, u.source_key,
                       u.correlation_id, u.hash
                FROM (SELECT * FROM unnest($4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::date[],
                                           $9::timestamptz[], $10::boolean[], $11::text[], $12::text[], $13::text[],
                                           $14::text[], $15::bytea[])
                          WITH ORDINALITY AS u(id, type, data, occurred_at, occurred_on, recorded_at, inferred,
                                               recorded_by, source_system, source_key, correlation_id, hash, ord)
                      ORDER BY ord) u
                RETURNING seq),
            moved AS (
                UPDATE streams SET version = $3 + $16, updated_at = now() WHERE tenant = $1 AND id = $2)
            SELECT pg_notify('casepathway_events', max(seq)::text) FROM ins
            """, connection);
        var p = insert.Parameters;
        p.AddWithValue(tenant);
        p.AddWithValue(stream);
        p.AddWithValue(current);
        p.AddWithValue(fresh.Select(e => e.Id).ToArray());
        p.AddWithValue(fresh.Select(e => e.Type).ToArray());
        p.AddWithValue(fresh.Select(e => e.DataJson).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, fresh.Select(e => e.OccurredAt.Instant is { } i ? NpgsqlTime.ToTimestamptz(i) : (DateTime?)null).ToArray());
        p.AddWithValue(fresh.Select(e => NpgsqlTime.ToDate(e.OccurredAt.Date)).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, fresh.Select(e => e.RecordedAt is { } r ? NpgsqlTime.ToTimestamptz(r) : (DateTime?)null).ToArray());
        p.AddWithValue(fresh.Select(e => e.RecordedAtInferred).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, fresh.Select(e => e.RecordedBy).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, fresh.Select(e => e.SourceSystem).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, fresh.Select(e => e.SourceKey).ToArray());
        p.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, fresh.Select(e => e.CorrelationId).ToArray());
        p.AddWithValue(plan.NewEventIndexes.Select(i => hashes[i]).ToArray());
        p.AddWithValue((long)fresh.Length);
        await insert.ExecuteNonQueryAsync(ct);
        return new AppendResult(plan.VersionAfter, fresh.Length, plan.AlreadyPresent);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string tenant, string stream, StreamReadOptions? options = null, CancellationToken ct = default)
    {
        await using var command = DataSource.CreateCommand($"""
            SELECT {Columns} FROM events
            WHERE tenant = $1 AND stream = $2
              AND ($3::bigint IS NULL OR version <= $3)
              AND ($4::timestamptz IS NULL OR recorded_at <= $4)
            ORDER BY version
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(stream);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)options?.ToVersion ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
            Value = options?.RecordedBy is { } by ? NpgsqlTime.ToTimestamptz(by) : DBNull.Value,
        });
        return await ReadEventsAsync(command, ct);
    }

    public async Task<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>> ReadStreamsAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, long upTo, CancellationToken ct = default)
    {
        await using var command = DataSource.CreateCommand($"""
            SELECT {Columns} FROM events
            WHERE (tenant, stream) IN (SELECT * FROM unnest($1::text[], $2::text[]))
              AND seq <= $3
            ORDER BY tenant, stream, version
            """);
        command.Parameters.AddWithValue(streams.Select(s => s.Tenant).ToArray());
        command.Parameters.AddWithValue(streams.Select(s => s.Stream).ToArray());
        command.Parameters.AddWithValue(upTo);
        var events = await ReadEventsAsync(command, ct);
        return events.GroupBy(e => (e.Tenant, e.Stream))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<StoredEvent>)g.ToList());
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long after, long upTo, int maxCount, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await using var command = DataSource.CreateCommand($"SELECT {Columns} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3");
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(upTo);
        command.Parameters.AddWithValue(maxCount);
        return await ReadEventsAsync(command, ct);
    }

    /// <summary>The current version of a stream; 0 when it does not exist.</summary>
    public async Task<long> StreamVersionAsync(string tenant, string stream, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        return await StreamVersionAsync(connection, tenant, stream, ct);
    }

    private static async Task<long> StreamVersionAsync(NpgsqlConnection connection, string tenant, string stream, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM streams WHERE tenant = $1 AND id = $2", connection);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(stream);
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var occurredOn = NpgsqlTime.FromDate(reader.GetFieldValue<DateOnly>(8));
            var occurred = reader.IsDBNull(7)
                ? Occurrence.On(occurredOn)
                : Occurrence.At(NpgsqlTime.FromTimestamptz(reader.GetFieldValue<DateTime>(7)));
            events.Add(new StoredEvent(
                Sequence: reader.GetInt64(0),
                Tenant: reader.GetString(1),
                Stream: reader.GetString(2),
                Version: reader.GetInt64(3),
                Id: reader.GetGuid(4),
                Type: reader.GetString(5),
                DataJson: reader.GetString(6),
                OccurredAt: occurred,
                RecordedAt: NpgsqlTime.FromTimestamptz(reader.GetFieldValue<DateTime>(9)),
                RecordedAtInferred: reader.GetBoolean(10),
                StoredAt: NpgsqlTime.FromTimestamptz(reader.GetFieldValue<DateTime>(11)),
                RecordedBy: reader.IsDBNull(12) ? null : reader.GetString(12),
                SourceSystem: reader.IsDBNull(13) ? null : reader.GetString(13),
                SourceKey: reader.IsDBNull(14) ? null : reader.GetString(14),
                CorrelationId: reader.IsDBNull(15) ? null : reader.GetString(15)));
        }
        return events;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return command;
    }

    private static bool IsIdRace(PostgresException e) =>
        (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "events_id_key")
        || e.SqlState == PostgresErrorCodes.DeadlockDetected;

    private static byte[][] Hash(string tenant, string stream, IReadOnlyList<NewEvent> events)
    {
        var hashes = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++) hashes[i] = EventContentHash.Compute(tenant, stream, events[i]);
        return hashes;
    }

    private static void Validate(string tenant, string stream, IReadOnlyList<NewEvent> events)
    {
        if (string.IsNullOrWhiteSpace(tenant)) throw new ArgumentException("tenant: required.", nameof(tenant));
        if (string.IsNullOrWhiteSpace(stream)) throw new ArgumentException($"stream (child) of tenant {tenant}: required.", nameof(stream));
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            if (e.Id == Guid.Empty) throw new ArgumentException($"Event in {tenant}/{stream}: id is empty.", nameof(events));
            if (string.IsNullOrWhiteSpace(e.Type)) throw new ArgumentException($"Event {e.Id}: type is required.", nameof(events));
            if (string.IsNullOrWhiteSpace(e.DataJson)) throw new ArgumentException($"Event {e.Id}: data is required.", nameof(events));
            if (!IsJsonObject(e.DataJson)) throw new ArgumentException($"Event {e.Id}: data is not a JSON object.", nameof(events));
        }
    }

    private static bool IsJsonObject(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
