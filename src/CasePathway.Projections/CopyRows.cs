using System.Buffers;
using CasePathway.Store;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Projections;

/// <summary>
/// A read model's rows in PostgreSQL's binary COPY form (<see cref="BinaryCopy"/>). A rebuild or a catch-up encodes each
/// child's rows as soon as they are folded, on the folding threads: the rows then travel as a few flat byte arrays
/// instead of millions of boxed values that lived until the copy (which the garbage collector traced and promoted),
/// and the copy only streams bytes.
/// </summary>
public static class CopyRows
{
    /// <summary>Appends <paramref name="row"/> (one value per column, in order) to <paramref name="into"/>.</summary>
    /// <exception cref="ArgumentException">A row of the wrong length, or a value with no form for its column's type.</exception>
    public static void Encode(ChildTable table, object?[] row, IBufferWriter<byte> into)
    {
        var types = table.DbTypes;
        if (row.Length != types.Count)
            throw new ArgumentException($"{table.Name}: a row of {row.Length} values for {types.Count} columns.");
        BinaryCopy.Row(into, row.Length);
        for (var i = 0; i < row.Length; i++)
        {
            var type = types[i];
            switch (row[i])
            {
                case null: BinaryCopy.Null(into); break;
                case string s when type == NpgsqlDbType.Text: BinaryCopy.Text(into, s); break;
                case bool b when type == NpgsqlDbType.Boolean: BinaryCopy.Boolean(into, b); break;
                case int n when type == NpgsqlDbType.Integer: BinaryCopy.Integer(into, n); break;
                case int or long when type == NpgsqlDbType.Bigint: BinaryCopy.Bigint(into, Convert.ToInt64(row[i])); break;
                case int or long or decimal when type == NpgsqlDbType.Numeric: BinaryCopy.Numeric(into, Convert.ToDecimal(row[i])); break;
                case Guid g when type == NpgsqlDbType.Uuid: BinaryCopy.Uuid(into, g); break;
                // Instants at PostgreSQL's microseconds, truncated as every other way in stores them.
                case Instant t when type == NpgsqlDbType.TimestampTz: BinaryCopy.TimestampTz(into, StoredPrecision.Truncate(t)); break;
                case LocalDateTime l when type == NpgsqlDbType.Timestamp: BinaryCopy.Timestamp(into, l); break;
                case LocalDate d when type == NpgsqlDbType.Date: BinaryCopy.Date(into, d); break;
                case var other:
                    throw new ArgumentException($"{table.Name}.{table.ColumnName(i)}: no {table.ColumnType(i)} form for a {other.GetType().Name}.");
            }
        }
    }

    /// <summary>Every row of <paramref name="rows"/>, encoded into <paramref name="buffer"/> (emptied first) and returned as one array.</summary>
    public static byte[] Encode(ChildTable table, IReadOnlyList<object?[]> rows, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        foreach (var row in rows) Encode(table, row, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Sends <paramref name="encoded"/> (rows of <see cref="Encode(ChildTable, object?[], IBufferWriter{byte})"/>) to <paramref name="table"/> by one binary COPY.</summary>
    public static Task CopyAsync(NpgsqlConnection connection, ChildTable table, IReadOnlyList<byte[]> encoded, bool freeze, CancellationToken ct) =>
        encoded.All(e => e.Length == 0)
            ? Task.CompletedTask
            : BinaryCopy.CopyAsync(connection, freeze ? table.FreezeCopySql : table.CopySql, encoded.Select(e => (ReadOnlyMemory<byte>)e).ToList(), ct);
}
