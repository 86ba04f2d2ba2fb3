using CasePathway.Store;
using Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Storage;

namespace CasePathway.Projections;

/// <summary>
/// A read-model table whose rows belong to children (<c>tenant</c>, <c>child</c> lead every key). The daemon
/// queues a batch's rows on its session as one statement per table, the columns as typed arrays unpacked by
/// <c>unnest</c> (committed with Marten's progression: no COPY inside Marten's batch); the rebuild sends the
/// same rows by binary COPY on its own transaction.
/// </summary>
public sealed class ChildTable
{
    private readonly (string Name, string Type)[] _columns;
    private readonly NpgsqlDbType[] _dbTypes;

    public ChildTable(string name, params (string Name, string Type)[] columns)
    {
        if (columns.Length < 2 || columns[0].Name != "tenant" || columns[1].Name != "child")
            throw new ArgumentException($"{name}: the first columns must be tenant and child.", nameof(columns));
        Name = name;
        _columns = columns;
        var list = string.Join(", ", columns.Select(c => c.Name));
        CopySql = $"copy {name} ({list}) from stdin (format binary)";
        _freezeCopySql = $"copy {name} ({list}) from stdin (format binary, freeze)";
        _dbTypes = columns.Select(c => DbTypeOf(name, c)).ToArray();
        _deleteSql = $"delete from {name} t using unnest($1::text[], $2::text[]) as k(tenant, child) where t.tenant = k.tenant and t.child = k.child";
        // '?' is Marten's placeholder for a queued command's parameters, one per column, in order.
        InsertSql = $"insert into {name} ({list}) select * from unnest({string.Join(", ", columns.Select(c => $"?::{c.Type}[]"))})";
        DeleteSql = _deleteSql.Replace("$1", "?").Replace("$2", "?");
    }

    public string Name { get; }

    public string InsertSql { get; }

    public string DeleteSql { get; }

    private readonly string _deleteSql;

    public int ColumnCount => _columns.Length;

    public string CopySql { get; }

    private readonly string _freezeCopySql;

    /// <summary>
    /// Appends <paramref name="rows"/> by binary COPY on <paramref name="connection"/> (inside its transaction):
    /// the rebuild's way in, with the same values <see cref="QueueInsert"/> sends (instants at PostgreSQL's microseconds).
    /// </summary>
    /// <param name="freeze">The table was emptied in this transaction (a rebuild): the rows go in frozen and their pages
    /// all-visible (COPY … FREEZE), so the first readers after the commit do not each pay to mark them, and vacuum has
    /// nothing to do on them.</param>
    public Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<object?[]> rows, CancellationToken ct, bool freeze = false) =>
        rows.Count == 0 ? Task.CompletedTask : CopyRows.CopyAsync(connection, this, [CopyRows.Encode(this, rows, new System.Buffers.ArrayBufferWriter<byte>())], freeze, ct);

    /// <summary>Each column's type, in order, as Npgsql names it.</summary>
    public IReadOnlyList<NpgsqlDbType> DbTypes => _dbTypes;

    public string ColumnName(int column) => _columns[column].Name;

    public string ColumnType(int column) => _columns[column].Type;

    public string FreezeCopySql => _freezeCopySql;

    private static NpgsqlDbType DbTypeOf(string table, (string Name, string Type) column) => column.Type switch
    {
        "text" => NpgsqlDbType.Text,
        "boolean" => NpgsqlDbType.Boolean,
        "integer" => NpgsqlDbType.Integer,
        "bigint" => NpgsqlDbType.Bigint,
        "numeric" => NpgsqlDbType.Numeric,
        "uuid" => NpgsqlDbType.Uuid,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "timestamp" => NpgsqlDbType.Timestamp,
        "date" => NpgsqlDbType.Date,
        _ => throw new ArgumentException($"{table}.{column.Name}: no binary form for a {column.Type} column."),
    };

    /// <summary>Deletes <paramref name="children"/>' rows on <paramref name="connection"/>, inside its transaction.</summary>
    public async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<(string Tenant, string Child)> children, CancellationToken ct)
    {
        if (children.Count == 0) return;
        // A catch-up copies into the table in its own transaction; statistics taken meanwhile (autovacuum counts the
        // pages but not the uncommitted rows) say the table is empty, and the planner then scans the whole table
        // once per child deleted. A delete by key is always a descent of the key's index.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local enable_seqscan to off"));
        var delete = new NpgsqlBatchCommand(_deleteSql);
        delete.Parameters.Add(new() { Value = children.Select(c => c.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        delete.Parameters.Add(new() { Value = children.Select(c => c.Child).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local enable_seqscan to default"));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Queues the deletion of <paramref name="children"/>' rows on the daemon's session.</summary>
    public void QueueDelete(IDocumentOperations operations, IReadOnlyCollection<(string Tenant, string Child)> children)
    {
        if (children.Count == 0) return;
        operations.QueueOperation(new TypedSqlOperation(DeleteSql,
            [(children.Select(c => c.Tenant).ToArray(), NpgsqlDbType.Text), (children.Select(c => c.Child).ToArray(), NpgsqlDbType.Text)]));
    }

    /// <summary>Queues <paramref name="rows"/> on the daemon's session: one statement, a typed array per column.</summary>
    public void QueueInsert(IDocumentOperations operations, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return;
        QueueInsert(operations, ColumnArrays(rows));
    }

    /// <summary>Queues rows already made into <see cref="ColumnArrays"/>.</summary>
    public void QueueInsert(IDocumentOperations operations, object[] columns) =>
        operations.QueueOperation(new TypedSqlOperation(InsertSql, columns.Select((a, c) => (a, _dbTypes[c])).ToArray()));

    /// <summary>
    /// The rows as one array per column, typed by the column (so PostgreSQL reads binary values, not text to
    /// parse): the same values <see cref="CopyAsync"/> writes, instants at PostgreSQL's microseconds, NodaTime's
    /// own types through the store's NodaTime mapping.
    /// </summary>
    public object[] ColumnArrays(IReadOnlyList<object?[]> rows)
    {
        foreach (var row in rows)
            if (row.Length != _columns.Length)
                throw new ArgumentException($"{Name}: a row of {row.Length} values for {_columns.Length} columns.");
        var arrays = new object[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            arrays[c] = _dbTypes[c] switch
            {
                NpgsqlDbType.Text => Column(rows, c, v => v is string s ? s : null),
                NpgsqlDbType.Boolean => Column<bool?>(rows, c, v => v is bool b ? b : null),
                NpgsqlDbType.Integer => Column<int?>(rows, c, v => v is int n ? n : null),
                NpgsqlDbType.Bigint => Column<long?>(rows, c, v => v is int or long ? Convert.ToInt64(v) : null),
                NpgsqlDbType.Numeric => Column<decimal?>(rows, c, v => v is int or long or decimal ? Convert.ToDecimal(v) : null),
                NpgsqlDbType.Uuid => Column<Guid?>(rows, c, v => v is Guid g ? g : null),
                NpgsqlDbType.TimestampTz => Column<Instant?>(rows, c, v => v is Instant t ? StoredPrecision.Truncate(t) : null),
                NpgsqlDbType.Timestamp => Column<LocalDateTime?>(rows, c, v => v is LocalDateTime l ? l : null),
                NpgsqlDbType.Date => Column<LocalDate?>(rows, c, v => v is LocalDate d ? d : null),
                var other => throw new ArgumentException($"{Name}.{_columns[c].Name}: no array form for {other}."),
            };
        }
        return arrays;
    }

    // A value of the wrong type is refused (null only for null), as COPY refuses it.
    private T?[] Column<T>(IReadOnlyList<object?[]> rows, int column, Func<object, T?> convert)
    {
        var values = new T?[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r][column] is not { } value) continue;
            values[r] = convert(value) ?? throw new ArgumentException($"{Name}.{_columns[column].Name}: no {_columns[column].Type} form for a {value.GetType().Name}.");
        }
        return values;
    }
}

/// <summary>
/// A statement queued on a Marten session whose '?' parameters are arrays of the given element types. Marten's
/// own <c>QueueSqlCommand</c> infers each parameter's type from its .NET type and knows no NodaTime array.
/// </summary>
internal sealed class TypedSqlOperation(string sql, (object Values, NpgsqlDbType Element)[] arrays) : Marten.Internal.Operations.IStorageOperation
{
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(Weasel.Postgresql.ICommandBuilder builder, IStorageSession session)
    {
        var parameters = builder.AppendWithParameters(sql, '?');
        if (parameters.Length != arrays.Length)
            throw new InvalidOperationException($"{arrays.Length} arrays for the {parameters.Length} parameters of '{sql}'.");
        for (var i = 0; i < arrays.Length; i++)
        {
            parameters[i].NpgsqlDbType = NpgsqlDbType.Array | arrays[i].Element;
            parameters[i].Value = arrays[i].Values;
        }
    }

    public Task PostprocessAsync(System.Data.Common.DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
