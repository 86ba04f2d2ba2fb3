using System.Diagnostics;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Store.Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>The physical limit a bulk append is read against, in the scale benchmark and in <c>append-profile</c>.</summary>
internal static class RawCopy
{
    /// <summary>
    /// The same events as rows of tables shaped like Marten's (<c>like … including all</c>: columns, defaults,
    /// primary and unique keys, plus the events' foreign key to their stream), written by binary COPY in one
    /// transaction: the most PostgreSQL can take in, which the bulk append is read against.
    /// </summary>
    public static async Task<TimeSpan> RunAsync(NpgsqlDataSource dataSource, List<List<PathwayEvent>> chunks, Instant now)
    {
        var schema = EventStoreOptions.SchemaName;
        await using (var create = dataSource.CreateCommand(
            $"""
            create table raw_streams (like {schema}.mt_streams including all);
            create table raw_events (like {schema}.mt_events including all);
            alter table raw_events add foreign key (tenant_id, stream_id) references raw_streams (tenant_id, id);
            """)) await create.ExecuteNonQueryAsync();
        var prepared = chunks.Select(c => c.Select(e => (Event: e, Data: EventJson.CanonicalData(e.Data), Headers: HeadersOf(e))).ToList()).ToList();
        var watch = Stopwatch.StartNew();
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var seq = 0L;
            foreach (var chunk in prepared)
            {
                var byChild = chunk.GroupBy(x => (x.Event.Tenant, x.Event.Child)).ToList();
                await using (var streams = await connection.BeginBinaryImportAsync("copy raw_streams (tenant_id, id, type, version, timestamp, created, is_archived) from stdin (format binary)"))
                {
                    foreach (var g in byChild)
                    {
                        await streams.StartRowAsync();
                        await streams.WriteAsync(g.Key.Tenant, NpgsqlDbType.Varchar);
                        await streams.WriteAsync(g.Key.Child, NpgsqlDbType.Varchar);
                        await streams.WriteNullAsync();
                        await streams.WriteAsync((long)g.Count(), NpgsqlDbType.Bigint);
                        await streams.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                        await streams.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                        await streams.WriteAsync(false, NpgsqlDbType.Boolean);
                    }
                    await streams.CompleteAsync();
                }
                await using (var rows = await connection.BeginBinaryImportAsync(
                    "copy raw_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, headers) from stdin (format binary)"))
                {
                    foreach (var g in byChild)
                    {
                        var version = 0L;
                        foreach (var x in g)
                        {
                            await rows.StartRowAsync();
                            await rows.WriteAsync(++seq, NpgsqlDbType.Bigint);
                            await rows.WriteAsync(x.Event.Id, NpgsqlDbType.Uuid);
                            await rows.WriteAsync(x.Event.Child, NpgsqlDbType.Varchar);
                            await rows.WriteAsync(++version, NpgsqlDbType.Bigint);
                            await rows.WriteAsync(x.Data, NpgsqlDbType.Jsonb);
                            await rows.WriteAsync(x.Event.Type, NpgsqlDbType.Varchar);
                            await rows.WriteAsync((x.Event.RecordedAt ?? x.Event.OccurredAt.Instant ?? now).ToDateTimeOffset(), NpgsqlDbType.TimestampTz);
                            await rows.WriteAsync(x.Event.Tenant, NpgsqlDbType.Varchar);
                            await rows.WriteAsync(x.Headers, NpgsqlDbType.Jsonb);
                        }
                    }
                    await rows.CompleteAsync();
                }
            }
            await tx.CommitAsync();
        }
        return watch.Elapsed;
    }

    private static string HeadersOf(PathwayEvent e) => JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["recordedBy"] = e.RecordedBy, ["sourceSystem"] = e.SourceSystem, ["occurredAt"] = e.OccurredAt.ToString(),
    });
}
