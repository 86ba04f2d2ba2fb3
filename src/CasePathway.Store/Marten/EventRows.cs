using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Store.Marten;

/// <summary>
/// Writes decided appends into Marten's own tables as one batch of set-based statements: the new streams, the
/// moved versions, the events and their receipts — the rows Marten's append writes (the round-trip test compares
/// them column by column), without its unit of work. A single event's append is then one round trip, its commit
/// included (the batch is one implicit transaction), where Marten's session took three: its stream state and
/// sequence numbers, its statements, our commit.
/// <para>
/// The versions decided on are the guard: a new stream's row collides with one started meanwhile (primary key),
/// and each event's version with an event appended meanwhile (Marten's unique stream and version), so a writer that
/// got in between fails the whole batch and nothing is stored; the caller reads and decides again. Sequence numbers
/// are drawn per row inside the transaction, as Marten's own append draws them.
/// </para>
/// </summary>
internal static class EventRows
{
    /// <summary>A stream's new events, at versions after <see cref="VersionBefore"/> (0: the stream is new).</summary>
    public sealed record Stream(string Tenant, string Id, long VersionBefore, IReadOnlyList<IEvent> Events);

    public sealed record Receipt(string Tenant, Guid Id, string Child, byte[] Hash);

    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, ISerializer serializer, IReadOnlyList<Stream> streams, IReadOnlyList<Receipt> receipts, CancellationToken ct)
    {
        if (streams.Count == 0 && receipts.Count == 0) return;
        var schema = EventStoreOptions.SchemaName;
        await using var batch = new NpgsqlBatch(connection, tx);

        var started = streams.Where(s => s.VersionBefore == 0).ToList();
        if (started.Count > 0)
        {
            // Marten's own insert: type (no aggregate here), timestamp and created by default.
            var insert = new NpgsqlBatchCommand(
                $"insert into {schema}.mt_streams (tenant_id, id, version) select * from unnest($1::varchar[], $2::varchar[], $3::bigint[])");
            insert.Parameters.Add(Array(started.Select(s => s.Tenant), NpgsqlDbType.Varchar));
            insert.Parameters.Add(Array(started.Select(s => s.Id), NpgsqlDbType.Varchar));
            insert.Parameters.Add(Array(started.Select(s => (long)s.Events.Count), NpgsqlDbType.Bigint));
            batch.BatchCommands.Add(insert);
        }
        var moved = streams.Where(s => s.VersionBefore > 0).ToList();
        if (moved.Count > 0)
        {
            // Marten's own update: only the version, and only from the version decided on.
            var update = new NpgsqlBatchCommand(
                $"""
                update {schema}.mt_streams s set version = u.after
                from unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[]) as u(tenant, id, before, after)
                where s.tenant_id = u.tenant and s.id = u.id and s.version = u.before
                """);
            update.Parameters.Add(Array(moved.Select(s => s.Tenant), NpgsqlDbType.Varchar));
            update.Parameters.Add(Array(moved.Select(s => s.Id), NpgsqlDbType.Varchar));
            update.Parameters.Add(Array(moved.Select(s => s.VersionBefore), NpgsqlDbType.Bigint));
            update.Parameters.Add(Array(moved.Select(s => s.VersionBefore + s.Events.Count), NpgsqlDbType.Bigint));
            batch.BatchCommands.Add(update);
        }
        if (streams.Count > 0)
        {
            var rows = streams.SelectMany(s => s.Events.Select((e, k) => (Stream: s, Event: e, Version: s.VersionBefore + k + 1))).ToList();
            foreach (var (s, e, version) in rows)
            {
                e.Version = version;
                e.TenantId = s.Tenant;
                e.StreamKey = s.Id;
            }
            // unnest keeps the arrays' order, so sequence numbers rise with versions as in Marten's append.
            var events = new NpgsqlBatchCommand(
                $"""
                insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, is_archived)
                select nextval('{schema}.mt_events_sequence'), u.id, u.stream, u.version, u.data, u.type, u.at, u.tenant, u.dotnet, u.correlation, u.headers, false
                from unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::jsonb[], $5::varchar[], $6::timestamptz[], $7::varchar[], $8::varchar[], $9::varchar[], $10::jsonb[])
                    as u(id, stream, version, data, type, at, tenant, dotnet, correlation, headers)
                """);
            events.Parameters.Add(Array(rows.Select(r => r.Event.Id), NpgsqlDbType.Uuid));
            events.Parameters.Add(Array(rows.Select(r => r.Stream.Id), NpgsqlDbType.Varchar));
            events.Parameters.Add(Array(rows.Select(r => r.Version), NpgsqlDbType.Bigint));
            events.Parameters.Add(Array(rows.Select(r => serializer.ToJson(r.Event.Data)), NpgsqlDbType.Jsonb));
            events.Parameters.Add(Array(rows.Select(r => r.Event.EventTypeName), NpgsqlDbType.Varchar));
            events.Parameters.Add(Array(rows.Select(r => r.Event.Timestamp), NpgsqlDbType.TimestampTz));
            events.Parameters.Add(Array(rows.Select(r => r.Stream.Tenant), NpgsqlDbType.Varchar));
            events.Parameters.Add(Array(rows.Select(r => r.Event.DotNetTypeName), NpgsqlDbType.Varchar));
            events.Parameters.Add(Array(rows.Select(r => r.Event.CorrelationId), NpgsqlDbType.Varchar));
            events.Parameters.Add(Array(rows.Select(r => r.Event.Headers is null ? null : serializer.ToJson(r.Event.Headers)), NpgsqlDbType.Jsonb));
            batch.BatchCommands.Add(events);
        }
        if (receipts.Count > 0)
        {
            // In the events' transaction (docs/event-store.md: receipts).
            var insert = new NpgsqlBatchCommand("insert into event_receipts (tenant, id, child, hash) select * from unnest($1::text[], $2::uuid[], $3::text[], $4::bytea[])");
            insert.Parameters.Add(Array(receipts.Select(r => r.Tenant), NpgsqlDbType.Text));
            insert.Parameters.Add(Array(receipts.Select(r => r.Id), NpgsqlDbType.Uuid));
            insert.Parameters.Add(Array(receipts.Select(r => r.Child), NpgsqlDbType.Text));
            insert.Parameters.Add(Array(receipts.Select(r => r.Hash), NpgsqlDbType.Bytea));
            batch.BatchCommands.Add(insert);
        }
        // Prepared once per pooled connection (Npgsql keeps them across opens): the server then skips parsing and
        // planning these statements at every append.
        await batch.PrepareAsync(ct);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The receipts by binary COPY, inside the caller's transaction (an import's thousands at a time).</summary>
    public static async Task CopyReceiptsAsync(NpgsqlConnection connection, IReadOnlyList<Receipt> receipts, CancellationToken ct)
    {
        if (receipts.Count == 0) return;
        var rows = new System.Buffers.ArrayBufferWriter<byte>(receipts.Count * 96);
        foreach (var r in receipts)
        {
            BinaryCopy.Row(rows, 4);
            BinaryCopy.Text(rows, r.Tenant);
            BinaryCopy.Uuid(rows, r.Id);
            BinaryCopy.Text(rows, r.Child);
            BinaryCopy.Bytea(rows, r.Hash);
        }
        await BinaryCopy.CopyAsync(connection, "copy event_receipts (tenant, id, child, hash) from stdin (format binary)", [rows.WrittenMemory], ct);
    }

    private static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType type) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
