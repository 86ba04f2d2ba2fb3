using System.Text;
using System.Text.Json;
using CasePathway.Store;
using Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Projections;

/// <summary>
/// A read-model table whose rows belong to children (<c>tenant</c>, <c>child</c> lead every key). The rows
/// travel as one JSON parameter and are unpacked by <c>jsonb_to_recordset</c>, so a whole batch is one
/// statement per table whichever session runs it: the daemon's (committed with Marten's progression) or the
/// rebuild's (committed with its own).
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
        // '?' is Marten's placeholder, so the SQL never uses the jsonb '?' operator.
        CopySql = $"copy {name} ({list}) from stdin (format binary)";
        _dbTypes = columns.Select(c => DbTypeOf(name, c)).ToArray();
        InsertSql = $"insert into {name} ({list}) select {list} from jsonb_to_recordset(?::jsonb) as x({string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))})";
        DeleteSql = $"delete from {name} t using jsonb_to_recordset(?::jsonb) as k(tenant text, child text) where t.tenant = k.tenant and t.child = k.child";
    }

    public string Name { get; }

    public string InsertSql { get; }

    public string DeleteSql { get; }

    public int ColumnCount => _columns.Length;

    public string CopySql { get; }

    /// <summary>
    /// Appends <paramref name="rows"/> by binary COPY on <paramref name="connection"/> (inside its transaction):
    /// the rebuild's way in, with the same values <see cref="RowsJson"/> sends (instants at PostgreSQL's microseconds).
    /// </summary>
    public async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(CopySql, ct);
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

    public void QueueDelete(IDocumentOperations operations, IReadOnlyCollection<(string Tenant, string Child)> children)
    {
        if (children.Count == 0) return;
        operations.QueueSqlCommand(DeleteSql, KeysJson(children));
    }

    public void QueueInsert(IDocumentOperations operations, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return;
        operations.QueueSqlCommand(InsertSql, RowsJson(rows));
    }

    public static string KeysJson(IEnumerable<(string Tenant, string Child)> children)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (tenant, child) in children)
            {
                json.WriteStartObject();
                json.WriteString("tenant", tenant);
                json.WriteString("child", child);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string RowsJson(IReadOnlyList<object?[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                if (row.Length != _columns.Length)
                    throw new ArgumentException($"{Name}: a row of {row.Length} values for {_columns.Length} columns.");
                json.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(_columns[i].Name);
                    WriteValue(json, row[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Text forms PostgreSQL reads back exactly: instants truncated to its microseconds (<see cref="StoredPrecision"/>), so a
    // value compares equal whichever way it was written, dates and local times in ISO.
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case decimal d: json.WriteNumberValue(d); break;
            case Guid g: json.WriteStringValue(g); break;
            case Instant t: json.WriteStringValue(InstantPattern.ExtendedIso.Format(StoredPrecision.Truncate(t))); break;
            case LocalDate d: json.WriteStringValue(LocalDatePattern.Iso.Format(d)); break;
            case LocalDateTime l: json.WriteStringValue(LocalDateTimePattern.ExtendedIso.Format(l)); break;
            default: throw new ArgumentException($"No read-model form for a {value.GetType().Name}.");
        }
    }
}
