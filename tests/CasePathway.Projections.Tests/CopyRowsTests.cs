using CasePathway.Projections.Tests.Support;
using CasePathway.Store;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Shouldly;

namespace CasePathway.Projections.Tests;

/// <summary>
/// The read models' rows are copied in a binary form written by <see cref="CopyRows"/>, not by Npgsql's importer: every
/// value must land exactly as Npgsql (and its NodaTime plugin) would have written it — the ends of NodaTime's ranges,
/// instants before 2000 with nanoseconds, dates before year 1, numerics of every scale and sign.
/// </summary>
public class CopyRowsTests : IAsyncLifetime
{
    private static readonly (string Name, string Type)[] Columns =
    [
        ("tenant", "text"), ("child", "text"), ("n", "integer"), ("big", "bigint"), ("amount", "numeric"), ("flag", "boolean"),
        ("id", "uuid"), ("at", "timestamptz"), ("day", "date"), ("local", "timestamp"),
    ];

    private static readonly ChildTable Ours = new("copy_ours", Columns);
    private ProjectionDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync();
        var definition = string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"));
        await using var create = _db.DataSource.CreateCommand($"create table copy_ours ({definition}); create table copy_npgsql ({definition})");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_value_lands_as_Npgsqls_own_importer_writes_it()
    {
        var rows = EdgeRows().Concat(RandomRows(new Random(20261128), 2_000)).ToList();
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Ours.CopyAsync(connection, rows, CancellationToken.None);
            await tx.CommitAsync();
        }
        await NpgsqlImporterAsync(connection, rows);

        // Row by row in the order written, as text (so 1.50 and 1.5 differ) and as values.
        var ours = await _db.RowsAsync("select (t.*)::text from copy_ours t order by child");
        var npgsql = await _db.RowsAsync("select (t.*)::text from copy_npgsql t order by child");
        ours.Count.ShouldBe(rows.Count);
        ours.ShouldBe(npgsql);
        (await _db.ScalarAsync("select count(*) from (select * from copy_ours except all select * from copy_npgsql) d")).ShouldBe(0);
    }

    [Fact]
    public async Task A_value_with_no_form_for_its_column_is_refused_naming_the_column_and_nothing_is_copied()
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var good = EdgeRows().First();
        var bad = (object?[])good.Clone();
        bad[2] = "not a number";
        var error = await Should.ThrowAsync<ArgumentException>(() => Ours.CopyAsync(connection, [good, bad], CancellationToken.None));
        error.Message.ShouldBe("copy_ours.n: no integer form for a String.");
        await tx.RollbackAsync();
        (await _db.ScalarAsync("select count(*) from copy_ours")).ShouldBe(0);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_refused_naming_the_table() =>
        Should.Throw<ArgumentException>(() => CopyRows.Encode(Ours, ["LA", "C1"], new System.Buffers.ArrayBufferWriter<byte>()))
            .Message.ShouldBe("copy_ours: a row of 2 values for 10 columns.");

    private static IEnumerable<object?[]> EdgeRows()
    {
        object?[] Row(string child, int n, long big, object? amount, bool flag, Guid id, Instant at, LocalDate day, LocalDateTime local) =>
            ["LA", child, n, big, amount, flag, id, at, day, local];
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        yield return Row("zero", 0, 0, 0m, false, Guid.Empty, Instant.FromUtc(2000, 1, 1, 0, 0), new LocalDate(2000, 1, 1), new LocalDateTime(2000, 1, 1, 0, 0));
        yield return Row("ends", int.MaxValue, long.MaxValue, decimal.MaxValue, true, id, Instant.MaxValue, LocalDate.MaxIsoValue, LocalDateTime.MaxIsoValue);
        yield return Row("starts", int.MinValue, long.MinValue, decimal.MinValue, false, id, Instant.MinValue, LocalDate.MinIsoValue, LocalDateTime.MinIsoValue);
        yield return Row("year one", -1, -1, -0.5m, true, id, Instant.FromUtc(1, 1, 1, 0, 0), new LocalDate(1, 1, 1), new LocalDateTime(1, 1, 1, 0, 0));
        yield return Row("before christ", 1, 1, 0.0000000000000000000000000001m, true, id,
            Instant.FromUtc(1900, 6, 30, 23, 59, 59).PlusNanoseconds(999_999_999), new LocalDate(-100, 3, 1), new LocalDateTime(1899, 12, 31, 23, 59, 59, 999));
        yield return Row("scales", 7, 7, 1.50m, false, id, Instant.FromUtc(2022, 10, 3, 9, 0).PlusNanoseconds(1_999), new LocalDate(2022, 10, 3), new LocalDateTime(2022, 10, 4, 17, 0));
        yield return Row("groups", 8, 8, -12345.6789m, false, id, Instant.FromUtc(2099, 12, 31, 23, 59), new LocalDate(9999, 12, 30), new LocalDateTime(9999, 12, 31, 0, 0));
        yield return Row("small", 9, 9, 0.00001234m, false, id, Instant.FromUtc(1999, 12, 31, 23, 59, 59).PlusNanoseconds(1), new LocalDate(1999, 12, 31), new LocalDateTime(1999, 12, 31, 23, 59, 59));
        yield return Row("round", 10, 10, 10000m, false, id, Instant.FromUtc(2026, 11, 28, 12, 0), new LocalDate(2026, 11, 28), new LocalDateTime(2026, 11, 28, 12, 0));
        yield return Row("trailing zeros", 11, 11, 100.000000m, false, id, Instant.FromUtc(2026, 1, 1, 0, 0), new LocalDate(2026, 1, 1), new LocalDateTime(2026, 1, 1, 0, 0));
        yield return ["LA", "nulls and text", null, null, null, null, null, null, null, null];
        yield return ["LA", "", 12, 12L, 3, true, id, Instant.FromUtc(2026, 1, 1, 0, 0), new LocalDate(2026, 1, 1), new LocalDateTime(2026, 1, 1, 0, 0)];
        yield return ["Ünïcödé — 😀 Welsh: Llanfair­pwllgwyngyll", "wide", 13, 13, 13L, true, id, Instant.FromUtc(2026, 1, 1, 0, 0), new LocalDate(2026, 1, 1), new LocalDateTime(2026, 1, 1, 0, 0)];
    }

    private static IEnumerable<object?[]> RandomRows(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var scale = (byte)random.Next(0, 29);
            var amount = new decimal(random.Next(), random.Next(), random.Next(0, 1 << 30), random.Next(2) == 0, scale);
            var at = Instant.FromUnixTimeSeconds(random.NextInt64(-62_000_000_000L, 250_000_000_000L)).PlusNanoseconds(random.Next(0, 1_000_000_000));
            var day = new LocalDate(random.Next(-500, 9999), random.Next(1, 13), random.Next(1, 29));
            var local = day.At(new LocalTime(random.Next(24), random.Next(60), random.Next(60)).PlusNanoseconds(random.Next(0, 1_000_000_000)));
            yield return
            [
                "LA", $"C{i}", random.Next(int.MinValue, int.MaxValue), random.NextInt64(long.MinValue, long.MaxValue),
                random.Next(10) == 0 ? null : amount, random.Next(2) == 0, Guid.NewGuid(), at, day, local,
            ];
        }
    }

    /// <summary>The same rows through Npgsql's own importer, each value typed as the column: what the projections wrote before.</summary>
    private static async Task NpgsqlImporterAsync(NpgsqlConnection connection, IReadOnlyList<object?[]> rows)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"copy copy_npgsql ({string.Join(", ", Columns.Select(c => c.Name))}) from stdin (format binary)");
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            await Write(copy, row[0], NpgsqlDbType.Text);
            await Write(copy, row[1], NpgsqlDbType.Text);
            await Write(copy, row[2], NpgsqlDbType.Integer);
            await Write(copy, row[3] is null ? null : Convert.ToInt64(row[3]), NpgsqlDbType.Bigint);
            await Write(copy, row[4] is null ? null : Convert.ToDecimal(row[4]), NpgsqlDbType.Numeric);
            await Write(copy, row[5], NpgsqlDbType.Boolean);
            await Write(copy, row[6], NpgsqlDbType.Uuid);
            await Write(copy, row[7] is Instant t ? StoredPrecision.Truncate(t) : null, NpgsqlDbType.TimestampTz);
            await Write(copy, row[8], NpgsqlDbType.Date);
            await Write(copy, row[9], NpgsqlDbType.Timestamp);
        }
        await copy.CompleteAsync();
    }

    private static Task Write(NpgsqlBinaryImporter copy, object? value, NpgsqlDbType type) => value switch
    {
        null => copy.WriteNullAsync(),
        string s => copy.WriteAsync(s, type),
        int n => copy.WriteAsync(n, type),
        long n => copy.WriteAsync(n, type),
        decimal d => copy.WriteAsync(d, type),
        bool b => copy.WriteAsync(b, type),
        Guid g => copy.WriteAsync(g, type),
        Instant t => copy.WriteAsync(t, type),
        LocalDate d => copy.WriteAsync(d, type),
        LocalDateTime l => copy.WriteAsync(l, type),
        _ => throw new ArgumentException(value.GetType().Name),
    };
}
