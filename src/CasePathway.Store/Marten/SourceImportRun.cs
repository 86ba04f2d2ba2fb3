using CasePathway.Domain.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Store.Marten;

/// <summary>
/// A snapshot import's session: one connection held for the run, with a session advisory lock per (council,
/// source) — a crashed run's lock goes with its connection — and a temporary table of the rows this snapshot
/// holds. Lookups use the indexes of migration 0013: by council, source and source key (a row's events are the key
/// range <c>row/</c> … <c>row0</c> in "C" order, no key containing '/'), and retractions by the id they retract.
/// </summary>
public sealed class SourceImportRun : ISourceImportRun
{
    private const string Events = $"{EventStoreOptions.SchemaName}.mt_events";
    private const string SourceSystemOf = $"(e.headers ->> '{EnvelopeHeaders.SourceSystem}')";
    private const string SourceKeyOf = $"(e.headers ->> '{EnvelopeHeaders.SourceKey}')";
    private const string KeyC = $"{SourceKeyOf} collate \"C\"";

    /// <summary>The source's events, as the partial index reads them: council, source system, source key present.</summary>
    private const string Sourced = $"e.tenant_id = $1 and {SourceSystemOf} = $2 and {SourceKeyOf} is not null";

    // Each row's range, and each event's retractions, are looked up one by one through the indexes: "offset 0" keeps
    // the planner from turning the lateral lookups into one join over the council's whole feed (which it did while
    // the indexes' statistics were young, at seconds a chunk).
    private static string RetractionsOf(string alias) =>
        $"select {Columns} from {Events} e where e.tenant_id = $1 and e.type = 'EventRetracted' and e.data ->> 'retractedId' = {alias}.id::text offset 0";

    // The comparison needs no event data, only what a retraction retracts: reading and deserialising each event's
    // JSON was most of a chunk's lookup once the plan was right.
    private const string Columns =
        $"e.id, e.stream_id, {SourceSystemOf} as system, {SourceKeyOf} as key, case when e.type = 'EventRetracted' then (e.data ->> 'retractedId')::uuid end as retracts";

    private const string SourceRows = "source_rows";


    private readonly NpgsqlConnection _connection;
    private readonly string _tenant, _source;

    private SourceImportRun(NpgsqlConnection connection, string tenant, string source)
    {
        _connection = connection;
        _tenant = tenant;
        _source = source;
    }

    private string LockName => $"casepathway import\u001f{_tenant}\u001f{_source}";

    public static async Task<SourceImportRun> StartAsync(IDocumentStore store, string tenant, string source, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var run = new SourceImportRun(connection, tenant, source);
        try
        {
            await using (var take = run.Command("select pg_try_advisory_lock(hashtextextended($1, 0))", run.LockName))
                if (!(bool)(await take.ExecuteScalarAsync(ct))!)
                    throw new ImportRunningException(tenant, source);
            // No JIT on this session: the row lookups are a few milliseconds of index scans, but the recursive retraction
            // lookup's estimate (thousands of rows per row) crossed jit_above_cost, and compiling it took ~0.7 s of
            // every chunk — two thirds of a night (docs/performance.md, "SSD nightly import"). Reset on dispose.
            await using var table = run.Command(
                "set jit = off; create temp table if not exists import_rows (row_key text collate \"C\" primary key); truncate import_rows; " +
                "create temp table if not exists import_events (child text collate \"C\" not null, ord bigint not null, payload bytea not null); truncate import_events");
            await table.ExecuteNonQueryAsync(ct);
            return run;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<SourceRowEvent>> ReadRowsAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default)
    {
        var result = new List<SourceRowEvent>();
        if (rows.Count == 0) return result;
        await using var cmd = Command(
            $"""
            with recursive found as (
                select e.* from unnest($3::text[]) as r(row_key)
                cross join lateral (
                    select {Columns} from {Events} e
                    where {Sourced} and {KeyC} >= (r.row_key || '/') collate "C" and {KeyC} < (r.row_key || '0') collate "C"
                    offset 0) e
            ), retractions as (
                select e.* from found f cross join lateral ({RetractionsOf("f")}) e
                union
                select e.* from retractions r cross join lateral ({RetractionsOf("r")}) e
            )
            select * from found union select * from retractions
            """, _tenant, _source, rows.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(new SourceRowEvent(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetGuid(4)));
        return result;
    }

    public async Task<IReadOnlySet<string>> StoredKeysAsync(IReadOnlyCollection<string> sourceKeys, CancellationToken ct = default)
    {
        if (sourceKeys.Count == 0) return new HashSet<string>();
        await using var cmd = Command(
            $"select k from unnest($3::text[]) as k where exists (select 1 from {Events} e where {Sourced} and {KeyC} = k collate \"C\" offset 0)",
            _tenant, _source, sourceKeys.ToArray());
        return await StringsAsync(cmd, ct);
    }

    public async Task<IReadOnlyDictionary<string, string>> ChildrenByDataAsync(string table, string type, string field, IReadOnlyCollection<string> values, CancellationToken ct = default)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values.Count == 0) return result;
        await using var cmd = Command(
            $"""
            select e.data ->> $5, e.stream_id from {Events} e
            where {Sourced} and {KeyC} >= ($3 || '/') collate "C" and {KeyC} < ($3 || '0') collate "C"
                and e.type = $4 and e.data ->> $5 = any($6)
            order by e.seq_id
            """, _tenant, _source, table, type, field, values.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public async Task<IReadOnlySet<string>> NoteInSnapshotAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return new HashSet<string>();
        // Tracked in source_rows before any event of theirs is appended, so that a later night finds them if they vanish.
        await using var cmd = Command(
            $"""
            with tracked as (
                insert into {SourceRows} (tenant_id, source_system, row_key) select $1, $2, r from unnest($3::text[]) as r
                on conflict do nothing)
            insert into import_rows select distinct unnest($3::text[]) on conflict do nothing returning row_key
            """, _tenant, _source, rows.ToArray());
        var added = await StringsAsync(cmd, ct);
        return rows.Where(r => !added.Contains(r)).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlySet<string>> InSnapshotAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return new HashSet<string>();
        // Each key probed through the key's index: "row_key = any($1)" with a chunk's 2,000 ids was a bitmap scan that took
        // ~45 ms a chunk (4 s of a 100,000-child night 1); the lateral probes take a fifth of it.
        await using var cmd = Command(
            "select r.row_key from unnest($1::text[]) as r(row_key) cross join lateral (select 1 from import_rows s where s.row_key = r.row_key collate \"C\" offset 0) s",
            (object)rows.ToArray());
        return await StringsAsync(cmd, ct);
    }

    public async Task<(IReadOnlyList<string> Rows, string? LastKey)> NotInSnapshotAsync(string table, string? afterKey, int limit, CancellationToken ct = default)
    {
        // The tracked rows of the table (source_rows, migration 0016) that tonight's snapshot lacks: rows that vanished
        // long ago, their events retracted, were dropped from it, so this reads the snapshot's size, not the history's.
        await using var cmd = Command(
            $"""
            select t.row_key from {SourceRows} t
            where t.tenant_id = $1 and t.source_system = $2
                and t.row_key > coalesce($4, $3 || '/') collate "C" and t.row_key < ($3 || '0') collate "C"
                and not exists (select 1 from import_rows s where s.row_key = t.row_key)
            order by t.row_key limit $5
            """, _tenant, _source, table, (object?)afterKey ?? DBNull.Value, limit);
        cmd.Parameters[3].NpgsqlDbType = NpgsqlDbType.Text;
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(reader.GetString(0));
        return (rows, rows.Count < limit ? null : rows[^1]);
    }

    public async Task ForgetRowsAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return;
        // "not exists", not "not in (select …)": tonight's snapshot (import_rows) is hundreds of thousands of keys, beyond
        // the memory a hashed "not in" may take, and the plain one then scanned it once per row forgotten (24.5 s of an
        // unchanged night at 100,000 children); the anti-join probes its key.
        await using var cmd = Command(
            $"delete from {SourceRows} t where t.tenant_id = $1 and t.source_system = $2 and t.row_key = any($3::text[]) " +
            "and not exists (select 1 from import_rows s where s.row_key = t.row_key)",
            _tenant, _source, rows.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task StageAsync(IReadOnlyList<StagedEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return;
        var rows = new System.Buffers.ArrayBufferWriter<byte>(events.Sum(e => e.Payload.Length + 64));
        foreach (var e in events)
        {
            BinaryCopy.Row(rows, 3);
            BinaryCopy.Text(rows, e.Child);
            BinaryCopy.Bigint(rows, e.Order);
            BinaryCopy.Bytea(rows, e.Payload);
        }
        await BinaryCopy.CopyAsync(_connection, "copy import_events (child, ord, payload) from stdin (format binary)", [rows.WrittenMemory], ct);
    }

    public async IAsyncEnumerable<IReadOnlyList<StagedEvent>> ReadStagedAsync(int pageEvents, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // One sorted read of the whole table, streamed, cut into pages here: a full page gives back its last child's events
        // (they may go on in the next page) unless that child is the whole page, so that a child's events are appended
        // together. The table has no index: kept up while staging, a (child, order) key took random insertions far beyond
        // the session's temporary buffers, and keyset pages through it read the events in random order; one sort after
        // the staging is a fraction of both (docs/performance.md, "SSD nightly import"). Nothing else uses the run's
        // connection while the night's events are appended, so the read may stay open between pages.
        var limit = Math.Max(1, pageEvents);
        await using var cmd = Command("select child, ord, payload from import_events order by child, ord");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var page = new List<StagedEvent>(limit);
        while (await reader.ReadAsync(ct))
        {
            page.Add(new StagedEvent(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            if (page.Count < limit) continue;
            if (page[0].Child == page[^1].Child)
            {
                yield return page;
                page = new List<StagedEvent>(limit);
                continue;
            }
            var cut = page.FindIndex(e => e.Child == page[^1].Child);
            var next = new List<StagedEvent>(limit);
            next.AddRange(page.Skip(cut));
            page.RemoveRange(cut, page.Count - cut);
            yield return page;
            page = next;
        }
        if (page.Count > 0) yield return page;
    }

    /// <summary>How many rows the feed tracks for this council (source_rows): the rows a night looks at for vanished ones.</summary>
    public async Task<long> TrackedRowsAsync(CancellationToken ct = default)
    {
        await using var cmd = Command($"select count(*) from {SourceRows} where tenant_id = $1 and source_system = $2", _tenant, _source);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A setting of the run's session (the test that shows the JIT is off on it).</summary>
    public async Task<string> SettingAsync(string name, CancellationToken ct = default)
    {
        await using var cmd = Command("select current_setting($1)", name);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<bool> HoldsAsync(string table, CancellationToken ct = default)
    {
        await using var cmd = Command(
            $"select exists (select 1 from {Events} e where {Sourced} and {KeyC} >= ($3 || '/') collate \"C\" and {KeyC} < ($3 || '0') collate \"C\")",
            _tenant, _source, table);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The plan of the row lookup, for the test and the benchmark that show the index is used.</summary>
    public async Task<string> ExplainReadRowsAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default)
    {
        await using var cmd = Command(
            $"""
            explain select e.id from unnest($3::text[]) as r(row_key)
            cross join lateral (
                select e.id from {Events} e
                where {Sourced} and {KeyC} >= (r.row_key || '/') collate "C" and {KeyC} < (r.row_key || '0') collate "C"
                offset 0) e
            """, _tenant, _source, rows.ToArray());
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The connection goes back to the pool: the lock and the table must not stay with it.
            await using (var unlock = Command("select pg_advisory_unlock(hashtextextended($1, 0))", LockName))
                await unlock.ExecuteNonQueryAsync();
            await using var drop = Command("drop table if exists import_rows; drop table if exists import_events; reset jit");
            await drop.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection ended the session, and with it the lock and the table.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, _connection) { CommandTimeout = 600 };
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        return cmd;
    }

    private static async Task<HashSet<string>> StringsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add(reader.GetString(0));
        return result;
    }
}
