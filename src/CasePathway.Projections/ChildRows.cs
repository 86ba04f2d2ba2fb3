using CasePathway.Store;
using Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Projections;

/// <summary>
/// A read-model table whose rows belong to children (<c>tenant</c>, <c>child</c> lead every key). Its rows go
/// in by binary COPY, inside whichever transaction writes them: the daemon's (committed with Marten's
/// progression) or the rebuild's (committed with its own).
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
        _dbTypes = columns.Select(c => DbTypeOf(name, c)).ToArray();
        _deleteSql = $"delete from {name} t using unnest($1::text[], $2::text[]) as k(tenant, child) where t.tenant = k.tenant and t.child = k.child";
        // '?' is Marten's placeholder for a queued command.
        DeleteSql = _deleteSql.Replace("$1", "?").Replace("$2", "?");
    }

    public string Name { get; }

    public string DeleteSql { get; }

    private readonly string _deleteSql;

    public int ColumnCount => _columns.Length;

    public string CopySql { get; }

    /// <summary>
    /// Appends <paramref name="rows"/> by binary COPY on <paramref name="connection"/> (inside its transaction):
    /// the daemon's and the rebuild's way in (instants at PostgreSQL's microseconds).
    /// </summary>
    /// <param name="freeze">The table was emptied in this transaction (a rebuild): the rows go in frozen and their pages
    /// all-visible (COPY … FREEZE), so the first readers after the commit do not each pay to mark them, and vacuum has
    /// nothing to do on them.</param>
    public async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<object?[]> rows, CancellationToken ct, bool freeze = false)
    {
        if (rows.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(freeze ? CopySql.Replace("(format binary)", "(format binary, freeze)") : CopySql, ct);
        foreach (var row in rows)
        {
            if (row.Length != _columns.Length)
                throw new ArgumentException($"{Name}: a row of {row.Length} values for {_columns.Length} columns.");
            await copy.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                var type = _dbTypes[i];
                switch (row[i])
                {
                    case null: await copy.WriteNullAsync(ct); break;
                    case string s: await copy.WriteAsync(s, type, ct); break;
                    case bool b: await copy.WriteAsync(b, type, ct); break;
                    case int n when type == NpgsqlDbType.Integer: await copy.WriteAsync(n, type, ct); break;
                    case int or long when type == NpgsqlDbType.Bigint: await copy.WriteAsync(Convert.ToInt64(row[i]), type, ct); break;
                    case int or long or decimal when type == NpgsqlDbType.Numeric: await copy.WriteAsync(Convert.ToDecimal(row[i]), type, ct); break;
                    case Guid g: await copy.WriteAsync(g, type, ct); break;
                    // NodaTime's own types through the store's NodaTime mapping: .NET's DateOnly.MinValue and
                    // DateTime.MinValue would be written as -infinity, not as the year 1 a poison event can carry.
                    case Instant t: await copy.WriteAsync(StoredPrecision.Truncate(t), type, ct); break;
                    case LocalDate d: await copy.WriteAsync(d, type, ct); break;
                    case LocalDateTime l: await copy.WriteAsync(l, type, ct); break;
                    case var other: throw new ArgumentException($"{Name}.{_columns[i].Name}: no {_columns[i].Type} form for a {other.GetType().Name}.");
                }
            }
        }
        await copy.CompleteAsync(ct);
    }

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

    /// <summary>Queues the deletion of <paramref name="children"/>' rows on the daemon's session.</summary>
    /// <summary>Deletes <paramref name="children"/>' rows on <paramref name="connection"/>, inside its transaction.</summary>
    public async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<(string Tenant, string Child)> children, CancellationToken ct)
    {
        if (children.Count == 0) return;
        await using var delete = new NpgsqlCommand(_deleteSql, connection, transaction);
        delete.Parameters.Add(new() { Value = children.Select(c => c.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        delete.Parameters.Add(new() { Value = children.Select(c => c.Child).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await delete.ExecuteNonQueryAsync(ct);
    }

    public void QueueDelete(IDocumentOperations operations, IReadOnlyCollection<(string Tenant, string Child)> children)
    {
        if (children.Count == 0) return;
        operations.QueueSqlCommand(DeleteSql, children.Select(c => c.Tenant).ToArray(), children.Select(c => c.Child).ToArray());
    }
}
