using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Npgsql;
using NodaTime;

namespace CasePathway.Store;

/// <summary>
/// PostgreSQL's binary COPY format written straight into a buffer, for the bulk paths (an import's new streams, the
/// read models' rebuild and catch-up): Npgsql's importer resolves, binds and writes every value through its generic
/// machinery, which cost more CPU than the values themselves, and needs them alive until the copy. Each value is
/// written as Npgsql (and its NodaTime plugin, infinities included) writes it — <c>CopyRowsTests</c> holds the two
/// to each other — so the rows stored do not depend on which path wrote them.
/// </summary>
public static class BinaryCopy
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

    /// <summary>
    /// Runs <paramref name="copySql"/> (<c>copy … from stdin (format binary)</c>) on <paramref name="connection"/>, inside
    /// its transaction if any, sending <paramref name="rows"/> — rows written by this class, in any number of pieces.
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection connection, string copySql, IReadOnlyList<ReadOnlyMemory<byte>> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginRawBinaryCopyAsync(copySql, ct);
        try
        {
            await copy.WriteAsync(Header, ct);
            foreach (var piece in rows)
                if (!piece.IsEmpty) await copy.WriteAsync(piece, ct);
            await copy.WriteAsync(Trailer, ct);
        }
        catch
        {
            // Disposing the stream would otherwise end the COPY, and PostgreSQL would take in what had been sent.
            await copy.CancelAsync();
            throw;
        }
    }

    /// <summary>Begins a row of <paramref name="columns"/> values, each then written by one of the methods below.</summary>
    public static void Row(IBufferWriter<byte> into, int columns)
    {
        BinaryPrimitives.WriteInt16BigEndian(into.GetSpan(2), (short)columns);
        into.Advance(2);
    }

    public static void Null(IBufferWriter<byte> into) => Length(into, -1);

    public static void Text(IBufferWriter<byte> into, string value)
    {
        var length = Utf8.GetByteCount(value);
        Length(into, length);
        Utf8.GetBytes(value, into.GetSpan(length));
        into.Advance(length);
    }

    public static void Boolean(IBufferWriter<byte> into, bool value)
    {
        Length(into, 1);
        into.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        into.Advance(1);
    }

    public static void Integer(IBufferWriter<byte> into, int value)
    {
        Length(into, 4);
        BinaryPrimitives.WriteInt32BigEndian(into.GetSpan(4), value);
        into.Advance(4);
    }

    public static void Bigint(IBufferWriter<byte> into, long value)
    {
        Length(into, 8);
        BinaryPrimitives.WriteInt64BigEndian(into.GetSpan(8), value);
        into.Advance(8);
    }

    public static void Uuid(IBufferWriter<byte> into, Guid value)
    {
        Length(into, 16);
        value.TryWriteBytes(into.GetSpan(16), bigEndian: true, out _);
        into.Advance(16);
    }

    public static void Bytea(IBufferWriter<byte> into, ReadOnlySpan<byte> value)
    {
        Length(into, value.Length);
        value.CopyTo(into.GetSpan(value.Length));
        into.Advance(value.Length);
    }

    /// <summary>A jsonb value from its UTF-8 JSON text: the format's version (1), then the text, as Npgsql sends it.</summary>
    public static void Jsonb(IBufferWriter<byte> into, ReadOnlySpan<byte> utf8Json)
    {
        Length(into, utf8Json.Length + 1);
        var span = into.GetSpan(utf8Json.Length + 1);
        span[0] = 1;
        utf8Json.CopyTo(span[1..]);
        into.Advance(utf8Json.Length + 1);
    }

    /// <summary>A timestamptz: microseconds from 2000-01-01 UTC (below a microsecond dropped as Npgsql drops it), NodaTime's ends as infinities.</summary>
    public static void TimestampTz(IBufferWriter<byte> into, Instant value)
    {
        Length(into, 8);
        BinaryPrimitives.WriteInt64BigEndian(into.GetSpan(8), Microseconds(value));
        into.Advance(8);
    }

    /// <summary>A timestamp (without time zone): the local date and time counted as if in UTC, as Npgsql's NodaTime plugin writes it.</summary>
    public static void Timestamp(IBufferWriter<byte> into, LocalDateTime value) => TimestampTz(into, value.InUtc().ToInstant());

    /// <summary>A date: days from 2000-01-01, NodaTime's ends as infinities.</summary>
    public static void Date(IBufferWriter<byte> into, LocalDate value)
    {
        Length(into, 4);
        BinaryPrimitives.WriteInt32BigEndian(into.GetSpan(4), Days(value));
        into.Advance(4);
    }

    /// <summary>
    /// PostgreSQL's numeric: base-10,000 digits from the most significant, the weight (the power of 10,000 of the first),
    /// the sign and the display scale (the decimal's own, so 1.50 stays 1.50).
    /// </summary>
    public static void Numeric(IBufferWriter<byte> into, decimal value)
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
        Length(into, 8 + 2 * digits);
        var span = into.GetSpan(8 + 2 * digits);
        BinaryPrimitives.WriteInt16BigEndian(span, (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], digits > 0 && negative ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (var d = 0; d < digits; d++) BinaryPrimitives.WriteInt16BigEndian(span[(8 + 2 * d)..], groups[count - 1 - d]);
        into.Advance(8 + 2 * digits);
    }

    private static void Length(IBufferWriter<byte> into, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(into.GetSpan(4), length);
        into.Advance(4);
    }

    private static long Microseconds(Instant instant)
    {
        if (instant == Instant.MaxValue) return long.MaxValue;
        if (instant == Instant.MinValue) return long.MinValue;
        var since2000 = instant - Instant2000;
        return since2000 >= -Plus292Years && since2000 <= Plus292Years
            ? since2000.ToInt64Nanoseconds() / 1000
            : (long)(since2000.ToBigIntegerNanoseconds() / 1000);
    }

    private static int Days(LocalDate date)
    {
        if (date == LocalDate.MaxIsoValue) return int.MaxValue;
        if (date == LocalDate.MinIsoValue) return int.MinValue;
        return date.Calendar == CalendarSystem.Iso && date.Year >= 1
            ? date.ToDateOnly().DayNumber - DaysTo2000
            : Period.Between(default, date, PeriodUnits.Days).Days - DaysTo2000;
    }
}
