using System.Buffers;
using System.Text.Json;
using Marten;
using Marten.Events;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Store.Marten;

/// <summary>
/// Writes new streams into Marten's own tables by binary COPY, on the caller's connection and inside its
/// transaction — the rows Marten's append would write (the round-trip test compares them column by column),
/// at the speed of COPY. An import starts hundreds of children at a time; through Marten's session each is a
/// statement of its own.
/// <para>
/// Not Marten's <c>BulkInsertEventsAsync</c>: it commits in a transaction of its own (apart from our receipts)
/// and moves the daemon's high-water mark itself, past any live append still in flight with a lower sequence,
/// which the projections would then skip for good. Here sequences come from Marten's sequence inside the
/// caller's transaction, exactly as an ordinary append takes them, so the daemon's gap detection sees nothing new.
/// </para>
/// </summary>
internal static class NewStreamCopy
{
    /// <summary>A new stream's events, at versions 1 to n.</summary>
    public sealed record NewStream(string Tenant, string Id, IReadOnlyList<NewEvent> Events);

    /// <param name="storedAt">The time stored: every event's <c>storedAt</c> header, and the timestamp of those without a recordedAt.</param>
    public static async Task WriteAsync(
        NpgsqlConnection connection, ISerializer serializer, EventGraph graph, Instant storedAt, IReadOnlyList<NewStream> streams, CancellationToken ct)
    {
        var count = streams.Sum(s => s.Events.Count);
        if (count == 0) return;
        var schema = EventStoreOptions.SchemaName;
        var sequences = new Queue<long>(count);
        await using (var cmd = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, $1)", connection))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = count, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) sequences.Enqueue(reader.GetInt64(0));
        }

        // The streams first: every event row's foreign key names one.
        await using (var rows = await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_streams (tenant_id, id, version, is_archived) from stdin (format binary)", ct))
        {
            foreach (var s in streams)
            {
                await rows.StartRowAsync(ct);
                await rows.WriteAsync(s.Tenant, NpgsqlDbType.Varchar, ct);
                await rows.WriteAsync(s.Id, NpgsqlDbType.Varchar, ct);
                await rows.WriteAsync((long)s.Events.Count, NpgsqlDbType.Bigint, ct);
                await rows.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }
            await rows.CompleteAsync(ct);
        }

        // The columns Marten's append fills from its event (EnvelopeHeaders.ToMartenEvent, then its serializer), made
        // here from the submitted event without building Marten's: the data and headers as UTF-8 JSON (Npgsql takes
        // jsonb as bytes, as Marten's own parameters pass it), the headers without a dictionary, the type's names
        // looked up once per type.
        var types = new Dictionary<Type, EventMapping>();
        var json = new ArrayBufferWriter<byte>(1024);
        await using var writer = new Utf8JsonWriter(json);
        await using (var rows = await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, is_archived) from stdin (format binary)", ct))
        {
            foreach (var s in streams)
            {
                var version = 0L;
                foreach (var e in s.Events)
                {
                    var type = e.Data.GetType();
                    if (!types.TryGetValue(type, out var mapping)) types[type] = mapping = graph.EventMappingFor(type);
                    await rows.StartRowAsync(ct);
                    await rows.WriteAsync(sequences.Dequeue(), NpgsqlDbType.Bigint, ct);
                    await rows.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                    await rows.WriteAsync(s.Id, NpgsqlDbType.Varchar, ct);
                    await rows.WriteAsync(++version, NpgsqlDbType.Bigint, ct);
                    json.ResetWrittenCount();
                    serializer.WriteTo(json, e.Data);
                    await rows.WriteAsync(json.WrittenSpan.ToArray(), NpgsqlDbType.Jsonb, ct);
                    await rows.WriteAsync(mapping.EventTypeName, NpgsqlDbType.Varchar, ct);
                    await rows.WriteAsync(EnvelopeHeaders.TimestampOf(e, storedAt), NpgsqlDbType.TimestampTz, ct);
                    await rows.WriteAsync(s.Tenant, NpgsqlDbType.Varchar, ct);
                    await rows.WriteAsync(mapping.DotNetTypeName, NpgsqlDbType.Varchar, ct);
                    if (e.CorrelationId is null) await rows.WriteNullAsync(ct);
                    else await rows.WriteAsync(e.CorrelationId, NpgsqlDbType.Varchar, ct);
                    json.ResetWrittenCount();
                    writer.Reset(json);
                    EnvelopeHeaders.WriteHeaders(writer, e, storedAt);
                    await writer.FlushAsync(ct);
                    await rows.WriteAsync(json.WrittenSpan.ToArray(), NpgsqlDbType.Jsonb, ct);
                    await rows.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }
            }
            await rows.CompleteAsync(ct);
        }
    }
}
