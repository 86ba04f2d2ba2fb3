using System.Text;
using System.Text.Json;
using CasePathway.Store;
using Marten;
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

    public ChildTable(string name, params (string Name, string Type)[] columns)
    {
        if (columns.Length < 2 || columns[0].Name != "tenant" || columns[1].Name != "child")
            throw new ArgumentException($"{name}: the first columns must be tenant and child.", nameof(columns));
        Name = name;
        _columns = columns;
        var list = string.Join(", ", columns.Select(c => c.Name));
        // '?' is Marten's placeholder, so the SQL never uses the jsonb '?' operator.
        InsertSql = $"insert into {name} ({list}) select {list} from jsonb_to_recordset(?::jsonb) as x({string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))})";
        DeleteSql = $"delete from {name} t using jsonb_to_recordset(?::jsonb) as k(tenant text, child text) where t.tenant = k.tenant and t.child = k.child";
    }

    public string Name { get; }

    public string InsertSql { get; }

    public string DeleteSql { get; }

    public int ColumnCount => _columns.Length;

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
