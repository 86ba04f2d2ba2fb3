using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CasePathway.Store;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Projections;

/// <summary>
/// Rows in PostgreSQL's binary COPY form, written by us rather than value by value through Npgsql's importer. A
/// rebuild or a catch-up encodes each child's rows as soon as they are folded, on the folding threads: the rows then
/// travel as a few flat byte arrays instead of millions of boxed values that live until the copy (and which the
/// garbage collector had to trace and promote), and the copy itself only streams bytes. Every value is written as
/// Npgsql and its NodaTime plugin write it — the infinities included — which <c>CopyRowsTests</c> holds to
/// Npgsql's own importer.
/// </summary>
public static class CopyRows
{
    // "PGCOPY\n\377\r\n\0", then the flags and the header extension's length (both 0).
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // A tuple whose field count is -1 ends the data.
    private static readonly byte[] Trailer = [0xFF, 0xFF];

    // Npgsql refuses text it cannot encode (a lone surrogate) rather than replacing it; so does this.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Instant Instant2000 = Instant.FromUtc(2000, 1, 1, 0, 0);
    private static readonly Duration Plus292Years = Duration.FromDays(292 * 365);

    // Days from 0001-01-01 to 2000-01-01: PostgreSQL counts dates from the latter.
    private const int DaysTo2000 = 730119;

    /// <summary>Appends <paramref name="row"/> (one value per column, in order) to <paramref name="into"/>.</summary>
    /// <exception cref="ArgumentException">A row of the wrong length, or a value with no form for its column's type.</exception>
    public static void Encode(ChildTable table, object?[] row, IBufferWriter<byte> into)
    {
        var types = table.DbTypes;
        if (row.Length != types.Count)
            throw new ArgumentException($"{table.Name}: a row of {row.Length} values for {types.Count} columns.");
        BinaryPrimitives.WriteInt16BigEndian(into.GetSpan(2), (short)row.Length);
        into.Advance(2);
        for (var i = 0; i < row.Length; i++)
        {
            var type = types[i];
            switch (row[i])
            {
                case null: Int32(into, -1); break;
                case string s when type == NpgsqlDbType.Text: Text(into, s); break;
                case bool b when type == NpgsqlDbType.Boolean: Int32(into, 1); into.GetSpan(1)[0] = b ? (byte)1 : (byte)0; into.Advance(1); break;
                case int n when type == NpgsqlDbType.Integer: Int32(into, 4); Int32(into, n); break;
                case int or long when type == NpgsqlDbType.Bigint: Int32(into, 8); Int64(into, Convert.ToInt64(row[i])); break;
                case int or long or decimal when type == NpgsqlDbType.Numeric: Numeric(into, Convert.ToDecimal(row[i])); break;
                case Guid g when type == NpgsqlDbType.Uuid:
                    Int32(into, 16);
                    g.TryWriteBytes(into.GetSpan(16), bigEndian: true, out _);
                    into.Advance(16);
                    break;
                case Instant t when type == NpgsqlDbType.TimestampTz: Int32(into, 8); Int64(into, Microseconds(StoredPrecision.Truncate(t))); break;
                case LocalDateTime l when type == NpgsqlDbType.Timestamp: Int32(into, 8); Int64(into, Microseconds(l.InUtc().ToInstant())); break;
                case LocalDate d when type == NpgsqlDbType.Date: Int32(into, 4); Int32(into, Days(d)); break;
                case var other:
                    throw new ArgumentException($"{table.Name}.{table.ColumnName(i)}: no {table.ColumnType(i)} form for a {other.GetType().Name}.");
            }
        }
    }

    /// <summary>Appends every row of <paramref name="rows"/> and returns them as one array.</summary>
    public static byte[] Encode(ChildTable table, IReadOnlyList<object?[]> rows, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        foreach (var row in rows) Encode(table, row, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Sends <paramref name="encoded"/> (rows of <see cref="Encode(ChildTable, object?[], IBufferWriter{byte})"/>, concatenated
    /// in any pieces) to <paramref name="table"/> by one binary COPY on <paramref name="connection"/>, inside its transaction.
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection connection, ChildTable table, IReadOnlyList<byte[]> encoded, bool freeze, CancellationToken ct)
    {
        if (encoded.All(e => e.Length == 0)) return;
        await using var copy = await connection.BeginRawBinaryCopyAsync(freeze ? table.FreezeCopySql : table.CopySql, ct);
        try
        {
            await copy.WriteAsync(Header, ct);
            foreach (var piece in encoded)
                if (piece.Length > 0) await copy.WriteAsync(piece, ct);
            await copy.WriteAsync(Trailer, ct);
        }
        catch
        {
            // Without this, disposing the stream would end the COPY and PostgreSQL would take in what had been sent.
            await copy.CancelAsync();
            throw;
        }
    }

    private static void Int32(IBufferWriter<byte> into, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(into.GetSpan(4), value);
        into.Advance(4);
    }

    private static void Int64(IBufferWriter<byte> into, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(into.GetSpan(8), value);
        into.Advance(8);
    }

    private static void Text(IBufferWriter<byte> into, string s)
    {
        var length = Utf8.GetByteCount(s);
        Int32(into, length);
        Utf8.GetBytes(s, into.GetSpan(length));
        into.Advance(length);
    }

    /// <summary>Microseconds from 2000-01-01 UTC, with Npgsql's infinities for NodaTime's ends.</summary>
    private static long Microseconds(Instant instant)
    {
        if (instant == Instant.MaxValue) return long.MaxValue;
        if (instant == Instant.MinValue) return long.MinValue;
        var since2000 = instant - Instant2000;
        return since2000 >= -Plus292Years && since2000 <= Plus292Years
            ? since2000.ToInt64Nanoseconds() / 1000
            : (long)(since2000.ToBigIntegerNanoseconds() / 1000);
    }

    /// <summary>Days from 2000-01-01, with Npgsql's infinities for NodaTime's ends.</summary>
    private static int Days(LocalDate date)
    {
        if (date == LocalDate.MaxIsoValue) return int.MaxValue;
        if (date == LocalDate.MinIsoValue) return int.MinValue;
        return date.Calendar == CalendarSystem.Iso && date.Year >= 1
            ? date.ToDateOnly().DayNumber - DaysTo2000
            : Period.Between(default, date, PeriodUnits.Days).Days - DaysTo2000;
    }

    /// <summary>
    /// PostgreSQL's numeric: base-10,000 digits from the most significant, the weight (the power of 10,000 of the first),
    /// the sign and the display scale (the decimal's own, so 1.50 stays 1.50).
    /// </summary>
    private static void Numeric(IBufferWriter<byte> into, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Whole groups of four fractional digits: scaled up to the next multiple of four (at most 10^3 more).
        var fractionGroups = (scale + 3) / 4;
        for (var pad = fractionGroups * 4 - scale; pad > 0; pad--) mantissa *= 10;
        Span<short> groups = stackalloc short[12];
        var count = 0;
        while (mantissa > 0)
        {
            groups[count++] = (short)(ushort)(mantissa % 10_000);
            mantissa /= 10_000;
        }
        var weight = count - fractionGroups - 1;
        var low = 0;
        while (low < count && groups[low] == 0) low++;
        var digits = count - low;
        if (digits == 0) weight = 0;
        Int32(into, 8 + 2 * digits);
        var span = into.GetSpan(8 + 2 * digits);
        BinaryPrimitives.WriteInt16BigEndian(span, (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], digits > 0 && negative ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (var d = 0; d < digits; d++) BinaryPrimitives.WriteInt16BigEndian(span[(8 + 2 * d)..], groups[count - 1 - d]);
        into.Advance(8 + 2 * digits);
    }
}
