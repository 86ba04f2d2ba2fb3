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

        // The streams first: every event row's foreign key names one. Both tables' rows written in COPY's binary form
        // here (BinaryCopy), as Npgsql would write each value.
        var streamRows = new ArrayBufferWriter<byte>(streams.Count * 48);
        foreach (var s in streams)
        {
            BinaryCopy.Row(streamRows, 4);
            BinaryCopy.Text(streamRows, s.Tenant);
            BinaryCopy.Text(streamRows, s.Id);
            BinaryCopy.Bigint(streamRows, s.Events.Count);
            BinaryCopy.Boolean(streamRows, false);
        }
        await BinaryCopy.CopyAsync(connection, $"copy {schema}.mt_streams (tenant_id, id, version, is_archived) from stdin (format binary)", [streamRows.WrittenMemory], ct);

        // The columns Marten's append fills from its event (EnvelopeHeaders.ToMartenEvent, then its serializer), made
        // here from the submitted event without building Marten's: the data and headers as UTF-8 JSON (jsonb as
        // Npgsql sends it, as Marten's own parameters pass it), the headers without a dictionary, the type's names
        // looked up once per type.
        var types = new Dictionary<Type, EventMapping>();
        var rows = new ArrayBufferWriter<byte>(count * 600);
        var json = new ArrayBufferWriter<byte>(1024);
        await using var writer = new Utf8JsonWriter(json);
        foreach (var s in streams)
        {
            var version = 0L;
            foreach (var e in s.Events)
            {
                var type = e.Data.GetType();
                if (!types.TryGetValue(type, out var mapping)) types[type] = mapping = graph.EventMappingFor(type);
                BinaryCopy.Row(rows, 12);
                BinaryCopy.Bigint(rows, sequences.Dequeue());
                BinaryCopy.Uuid(rows, e.Id);
                BinaryCopy.Text(rows, s.Id);
                BinaryCopy.Bigint(rows, ++version);
                json.ResetWrittenCount();
                serializer.WriteTo(json, e.Data);
                BinaryCopy.Jsonb(rows, json.WrittenSpan);
                BinaryCopy.Text(rows, mapping.EventTypeName);
                BinaryCopy.TimestampTz(rows, EnvelopeHeaders.TimestampInstantOf(e, storedAt));
                BinaryCopy.Text(rows, s.Tenant);
                BinaryCopy.Text(rows, mapping.DotNetTypeName);
                if (e.CorrelationId is null) BinaryCopy.Null(rows);
                else BinaryCopy.Text(rows, e.CorrelationId);
                json.ResetWrittenCount();
                writer.Reset(json);
                EnvelopeHeaders.WriteHeaders(writer, e, storedAt);
                writer.Flush();
                BinaryCopy.Jsonb(rows, json.WrittenSpan);
                BinaryCopy.Boolean(rows, false);
            }
        }
        await BinaryCopy.CopyAsync(connection,
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, is_archived) from stdin (format binary)",
            [rows.WrittenMemory], ct);
    }
}
