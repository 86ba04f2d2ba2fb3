using System.Globalization;
using Npgsql;

namespace CasePathway.Store;

public sealed partial class PostgresEventStore
{
    // Names "CasePathway high-water mark" among advisory locks: one process advances the shared mark at a time.
    private const long HighWaterMarkLockKey = 0x43505f4857_4d41; // "CP_HWMA"
    private const int HighWaterMarkChunk = 50_000;

    /// <summary>
    /// The highest seq such that every lower seq is either stored and visible or can never be stored.
    /// <para>
    /// Sequence numbers are not transactional, so seq n+1 can be visible while n is still being written.
    /// Why the gap rule below is safe: an appender takes its transaction id before any nextval (it locks
    /// its stream rows first), and sequence values are handed out in increasing order. A gap at n below a
    /// visible event was therefore taken by a transaction whose id is below the xmax of the snapshot that
    /// saw the gap. Once the oldest running transaction id (snapshot xmin) is at or above that xmax, that
    /// transaction has ended; if the gap is still empty then, it rolled back and the gap is permanent.
    /// No timeout is involved: a slow commit holds the mark back for exactly as long as it runs.
    /// </para>
    /// The mark and the gap being watched are kept in <c>event_high_water_mark</c>, shared by all processes.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // An advisory lock does not give this transaction an xid, so it never holds back its own xmin test.
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({HighWaterMarkLockKey})", connection))
            await lockCommand.ExecuteNonQueryAsync(ct);

        long position;
        long? gapAt;
        ulong? horizon;
        await using (var read = new NpgsqlCommand("SELECT position, gap_at, gap_horizon::text FROM event_high_water_mark", connection))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            position = reader.GetInt64(0);
            gapAt = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            horizon = reader.IsDBNull(2) ? null : ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
        }
        var (startPosition, startGap, startHorizon) = (position, gapAt, horizon);

        while (true)
        {
            var scan = await ScanAsync(connection, position, ct);
            if (scan.GapAfter is not { } contiguousTo)
            {
                position = Math.Max(position, scan.LastSeq ?? position);
                (gapAt, horizon) = (null, null);
                if (scan.Count < HighWaterMarkChunk) break;
                continue;
            }

            var gap = contiguousTo + 1;
            var gapHorizon = gapAt == gap && horizon is { } known ? known : scan.SnapshotXmax;
            if (scan.SnapshotXmin >= gapHorizon)
            {
                // Every transaction that could have taken these numbers has ended: the gap is permanent.
                position = scan.NextAfterGap!.Value - 1;
                (gapAt, horizon) = (null, null);
                continue;
            }
            position = contiguousTo;
            (gapAt, horizon) = (gap, gapHorizon);
            break;
        }

        if ((position, gapAt, horizon) != (startPosition, startGap, startHorizon))
        {
            await using var update = new NpgsqlCommand(
                "UPDATE event_high_water_mark SET position = $1, gap_at = $2, gap_horizon = $3::text::xid8, updated_at = now()",
                connection);
            update.Parameters.AddWithValue(position);
            update.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint, Value = (object?)gapAt ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter
            {
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
                Value = horizon is { } h ? h.ToString(CultureInfo.InvariantCulture) : DBNull.Value,
            });
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return position;
    }

    private sealed record GapScan(long? GapAfter, long? NextAfterGap, long? LastSeq, int Count, ulong SnapshotXmin, ulong SnapshotXmax);

    /// <summary>
    /// One statement, hence one snapshot: the first gap above <paramref name="position"/> (within a chunk),
    /// and the snapshot's xmin and xmax to judge it by.
    /// </summary>
    private static async Task<GapScan> ScanAsync(NpgsqlConnection connection, long position, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH chunk AS (
                SELECT seq FROM events WHERE seq > $1 ORDER BY seq LIMIT $2),
            ordered AS (
                SELECT seq, lead(seq) OVER (ORDER BY seq) AS next
                FROM (SELECT $1::bigint AS seq UNION ALL SELECT seq FROM chunk) s),
            first_gap AS (
                SELECT seq, next FROM ordered WHERE next <> seq + 1 ORDER BY seq LIMIT 1)
            SELECT (SELECT seq FROM first_gap), (SELECT next FROM first_gap),
                   (SELECT max(seq) FROM chunk), (SELECT count(*) FROM chunk)::int,
                   pg_snapshot_xmin(pg_current_snapshot())::text, pg_snapshot_xmax(pg_current_snapshot())::text
            """, connection);
        command.Parameters.AddWithValue(position);
        command.Parameters.AddWithValue(HighWaterMarkChunk);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new GapScan(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.GetInt32(3),
            ulong.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
            ulong.Parse(reader.GetString(5), CultureInfo.InvariantCulture));
    }
}
