using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Store;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Appends to many streams in one transaction with the guarantees of a single append: one round trip
    /// creates and locks every stream row (in one order, so concurrent bulks cannot deadlock on them) and
    /// finds the ids already stored; then everything is decided before sequence numbers are taken (one
    /// round trip), the new events go in by binary COPY and the streams move in one statement.
    /// Several appends to the same stream are applied in their order.
    /// </summary>
    public async Task<BulkAppendResult> BulkAppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var hashes = new byte[appends.Count][][];
        for (var a = 0; a < appends.Count; a++)
        {
            Validate(appends[a].Tenant, appends[a].Stream, appends[a].Events);
            hashes[a] = Hash(appends[a].Tenant, appends[a].Stream, appends[a].Events);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await DataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                var result = await BulkAppendCoreAsync(connection, appends, hashes, ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (PostgresException e) when (attempt < MaxAttempts && IsIdRace(e))
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<BulkAppendResult> BulkAppendCoreAsync(NpgsqlConnection connection, IReadOnlyList<StreamAppend> appends, byte[][][] hashes, CancellationToken ct)
    {
        // Streams with events are created if missing; all are locked, so that every result carries its version.
        var streamKeys = appends.Select(a => (a.Tenant, a.Stream)).Distinct().ToArray();
        var tenants = streamKeys.Select(k => k.Tenant).ToArray();
        var streams = streamKeys.Select(k => k.Stream).ToArray();
        var writtenKeys = appends.Where(a => a.Events.Count > 0).Select(a => (a.Tenant, a.Stream)).Distinct().ToArray();
        var ids = appends.SelectMany(a => a.Events.Select(e => e.Id)).Distinct().ToArray();

        var versions = new Dictionary<(string, string), long>(streamKeys.Length);
        var stored = new Dictionary<Guid, byte[]>();
        DateTime receivedAt;
        await using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("""
                    INSERT INTO streams (tenant, id, version)
                    SELECT tenant, id, 0 FROM unnest($1::text[], $2::text[]) AS u(tenant, id) ORDER BY tenant, id
                    ON CONFLICT DO NOTHING
                    """, writtenKeys.Select(k => k.Tenant).ToArray(), writtenKeys.Select(k => k.Stream).ToArray()),
                Command("""
                    SELECT s.tenant, s.id, s.version FROM streams s
                    WHERE (s.tenant, s.id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
                    ORDER BY s.tenant, s.id FOR UPDATE
                    """, tenants, streams),
                Command("SELECT e.id, e.content_hash FROM unnest($1::uuid[]) AS u(id) JOIN events e ON e.id = u.id", ids),
                // now() is the transaction's time: the same value the stored_at default takes.
                Command("SELECT now(), pg_current_xact_id()::text"),
            },
        })
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) stored[reader.GetGuid(0)] = (byte[])reader[1];
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            receivedAt = reader.GetFieldValue<DateTime>(0);
        }

        var planned = new Dictionary<Guid, byte[]>();
        var plans = new StreamPlan[appends.Count];
        var results = new AppendResult[appends.Count];
        var newCount = 0;
        for (var a = 0; a < appends.Count; a++)
        {
            var append = appends[a];
            var current = versions.GetValueOrDefault((append.Tenant, append.Stream));
            var plan = AppendDecision.Decide(append.Tenant, append.Stream, append.Expected, current, append.Events, hashes[a], stored, planned);
            plans[a] = plan;
            if (plan.NewEventIndexes.Count > 0) versions[(append.Tenant, append.Stream)] = plan.VersionAfter;
            results[a] = new AppendResult(plan.NewEventIndexes.Count > 0 ? plan.VersionAfter : current, plan.NewEventIndexes.Count, plan.AlreadyPresent);
            newCount += plan.NewEventIndexes.Count;
        }
        var alreadyPresent = results.Sum(r => r.AlreadyPresent);
        if (newCount == 0) return new BulkAppendResult(0, alreadyPresent, results);

        var sequence = await AllocateSequenceAsync(connection, newCount, ct);
        await CopyAsync(connection, appends, hashes, plans, sequence, receivedAt, ct);

        var moved = plans.Where(p => p.NewEventIndexes.Count > 0).GroupBy(p => (p.Tenant, p.Stream)).Select(g => g.Last()).ToArray();
        await using (var update = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("""
                    UPDATE streams s SET version = u.version, updated_at = now()
                    FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(tenant, id, version)
                    WHERE s.tenant = u.tenant AND s.id = u.id
                    """, moved.Select(p => p.Tenant).ToArray(), moved.Select(p => p.Stream).ToArray(), moved.Select(p => p.VersionAfter).ToArray()),
                Command("SELECT pg_notify('casepathway_events', $1)", sequence[^1].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            },
        })
        {
            await update.ExecuteNonQueryAsync(ct);
        }
        return new BulkAppendResult(newCount, alreadyPresent, results);
    }

    /// <summary>Takes <paramref name="count"/> sequence numbers in one round trip, ascending.</summary>
    private static async Task<long[]> AllocateSequenceAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        var sequence = new long[count];
        await using var command = new NpgsqlCommand("SELECT nextval('events_seq') FROM generate_series(1, $1)", connection);
        command.Parameters.AddWithValue(count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var n = 0;
        while (await reader.ReadAsync(ct)) sequence[n++] = reader.GetInt64(0);
        Array.Sort(sequence);
        return sequence;
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, IReadOnlyList<StreamAppend> appends, byte[][][] hashes, StreamPlan[] plans,
        long[] sequence, DateTime receivedAt, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY events (seq, id, tenant, stream, version, type, data, occurred_at, occurred_on, recorded_at,
                         recorded_at_inferred, stored_at, recorded_by, source_system, source_key, correlation_id, content_hash)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        var n = 0;
        for (var a = 0; a < appends.Count; a++)
        {
            var append = appends[a];
            var plan = plans[a];
            var version = plan.VersionBefore;
            foreach (var i in plan.NewEventIndexes)
            {
                var e = append.Events[i];
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(sequence[n++], NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(append.Tenant, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(append.Stream, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(++version, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(e.DataJson, NpgsqlDbType.Jsonb, ct);
                if (e.OccurredAt.Instant is { } occurred) await writer.WriteAsync(NpgsqlTime.ToTimestamptz(occurred), NpgsqlDbType.TimestampTz, ct);
                else await writer.WriteNullAsync(ct);
                await writer.WriteAsync(NpgsqlTime.ToDate(e.OccurredAt.Date), NpgsqlDbType.Date, ct);
                await writer.WriteAsync(e.RecordedAt is { } recorded ? NpgsqlTime.ToTimestamptz(recorded) : receivedAt, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(e.RecordedAtInferred, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(receivedAt, NpgsqlDbType.TimestampTz, ct);
                await WriteTextOrNullAsync(writer, e.RecordedBy, ct);
                await WriteTextOrNullAsync(writer, e.SourceSystem, ct);
                await WriteTextOrNullAsync(writer, e.SourceKey, ct);
                await WriteTextOrNullAsync(writer, e.CorrelationId, ct);
                await writer.WriteAsync(hashes[a][i], NpgsqlDbType.Bytea, ct);
            }
        }
        await writer.CompleteAsync(ct);
    }

    private static async ValueTask WriteTextOrNullAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken ct)
    {
        if (value is null) await writer.WriteNullAsync(ct);
        else await writer.WriteAsync(value, NpgsqlDbType.Text, ct);
    }
}
