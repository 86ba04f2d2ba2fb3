using System.IO.Compression;
using CasePathway.Import.AnnexA;

namespace CasePathway.Import.Tests.AnnexA;

/// <summary>
/// The door's limits in Annex A: a row with a value no event could hold is rejected naming sheet, row and
/// column, and the rest imports; a workbook too large to read safely is refused before it is read.
/// </summary>
public sealed class AnnexADoorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ImportBatch ImportList3(string row)
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", "Child Unique ID,Date of referral,Referral Source,Allocated Team,Allocated Worker\n" +
                                   "1,2020-09-16,police,Team A,ann\n" + row + "\n");
        return AnnexAImporter.Import(folder.Path, "357", Samples.Today);
    }

    public static TheoryData<string, string, string> RefusedRows => new()
    {
        { "a/b,2020-09-16,police,Team A,ann", "Child Unique ID", "'/' at position 2" },
        { $"{new string('9', 65)},2020-09-16,police,Team A,ann", "Child Unique ID", "at most 64" },
        { "2,1965-01-01,police,Team A,ann", "Date of referral", "before 1970-01-01" },
        { "2,2020-09-16,police,Team\u0007A,ann", "Allocated Team", "control character (U+0007)" },
        { $"2,2020-09-16,police,Team A,{new string('w', 1001)}", "Allocated Worker", "at most 1000" },
        { $"2,2020-09-16,{new string('p', 1001)},Team A,ann", "Referral Source", "at most 1000" },
    };

    [Theory]
    [MemberData(nameof(RefusedRows))]
    public void A_value_beyond_the_doors_limits_rejects_its_row_naming_sheet_row_and_column(string row, string column, string says)
    {
        var batch = ImportList3(row);

        var rejection = batch.Rejections.ShouldHaveSingleItem();
        (rejection.Sheet, rejection.Row, rejection.Column).ShouldBe(("List 3", 3, column));
        rejection.Reason.ShouldContain(says);
        batch.Events.Select(e => e.Child).Distinct().ShouldBe(["1"], "the good row still imports, nothing of the bad one");
    }

    [Theory]
    [InlineData("3/57")]
    [InlineData("")]
    public void A_tenant_no_event_could_hold_is_refused_before_reading(string tenant) =>
        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(_folder.Write("List 1.csv", "Child Unique ID,Date of Contact\n1,2020-01-01\n"), tenant, Samples.Today));

    private string Workbook(int rows, string cell = "x") =>
        TestWorkbook.Write(Path.Combine(_folder.Path, $"w{Guid.NewGuid():N}.xlsx"),
            ("List 1", [["Child Unique ID", "Date of Contact", "Contact Source"], .. Enumerable.Range(1, rows).Select(i => new object?[] { i, "2020-09-16", cell })]));

    [Fact]
    public void A_workbook_whose_sheets_unzip_beyond_the_limit_is_refused_naming_the_limit_and_how_to_raise_it()
    {
        var path = Workbook(rows: 200, cell: new string('s', 10_000)); // about 2 MB of sheet XML, a few KB zipped
        new FileInfo(path).Length.ShouldBeLessThan(100_000);
        var limits = ImportLimits.Default with { MaxBytes = 1024 * 1024 };

        var error = Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today, limits));

        error.Message.ShouldContain("more than 1 MB of sheet data once unzipped");
        error.Message.ShouldContain("CASEPATHWAY_IMPORT_MAX_MB=2");
        AnnexAImporter.Import(path, "357", Samples.Today, ImportLimits.Default).RowsRead.ShouldBe(200);
    }

    [Fact]
    public void A_zip_bomb_is_refused_from_its_directory_without_being_decompressed()
    {
        // the shape of a bomb at a test's scale: 64 MB of shared strings in a file of under 1 MB, against a 32 MB limit
        var path = Workbook(rows: 1);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var bomb = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Fastest).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++) bomb.Write(zeros);
        }
        new FileInfo(path).Length.ShouldBeLessThan(1024 * 1024);

        var error = Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today, ImportLimits.Default with { MaxBytes = 32 * 1024 * 1024 }));
        error.Message.ShouldContain("more than 32 MB of sheet data once unzipped");
    }

    [Fact]
    public void A_zip_that_understates_an_entrys_size_fails_as_unreadable_not_by_running_out_of_memory()
    {
        var path = Workbook(rows: 50, cell: new string('s', 1000));
        var bytes = File.ReadAllBytes(path);
        // every entry claims 100 bytes: .NET's ZipArchive reads no more than claimed, so the XML is cut short
        for (var i = 0; i + 30 < bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == 0x04034b50) BitConverter.GetBytes(100u).CopyTo(bytes, i + 22);
            if (signature == 0x02014b50) BitConverter.GetBytes(100u).CopyTo(bytes, i + 24);
        }
        File.WriteAllBytes(path, bytes);

        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today)).Message.ShouldContain("not a readable Excel workbook");
    }

    [Fact]
    public void A_workbook_with_more_rows_than_the_limit_is_refused_naming_the_limit_and_how_to_raise_it()
    {
        var path = Workbook(rows: 30);
        var error = Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today, ImportLimits.Default with { MaxRows = 25 }));
        error.Message.ShouldContain("more than 25 rows");
        error.Message.ShouldContain("CASEPATHWAY_IMPORT_MAX_ROWS=50");
    }

    [Fact]
    public void A_csv_folder_is_held_to_the_same_rows_and_size()
    {
        _folder.Write("List 1.csv", "Child Unique ID,Date of Contact\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"{i},2020-09-16\n")));
        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(_folder.Path, "357", Samples.Today, ImportLimits.Default with { MaxRows = 25 }))
            .Message.ShouldContain("more than 25 rows");
        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(_folder.Path, "357", Samples.Today, ImportLimits.Default with { MaxBytes = 100 }))
            .Message.ShouldContain(ImportLimits.MegabytesVariable);
        AnnexAImporter.Import(_folder.Path, "357", Samples.Today).RowsRead.ShouldBe(30);
    }

    [Fact]
    public void A_sheet_formatted_out_to_the_last_column_keeps_only_the_cells_it_has()
    {
        var path = TestWorkbook.Write(Path.Combine(_folder.Path, "wide.xlsx"),
            ("List 1", [["Child Unique ID", "Date of Contact"], [1, "2020-09-16", .. Enumerable.Repeat<object?>(null, 20), "far"], [2, "2020-09-17"]]));
        var sheet = AnnexASource.Read(path).Single();
        sheet.Rows.Select(r => r.Cells.Count).ShouldBe([2, 23, 2]);
    }

    [Theory]
    [InlineData(null, null, 1_000_000, 256L * 1024 * 1024)]
    [InlineData("2000000", "1024", 2_000_000, 1024L * 1024 * 1024)]
    public void The_limits_come_from_the_environment(string? rows, string? megabytes, long maxRows, long maxBytes)
    {
        var limits = ImportLimits.FromEnvironment(name => name == ImportLimits.RowsVariable ? rows : megabytes);
        (limits.MaxRows, limits.MaxBytes).ShouldBe((maxRows, maxBytes));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_limit_that_is_not_a_positive_number_is_a_clear_error(string value) =>
        Should.Throw<ImportFileException>(() => ImportLimits.FromEnvironment(_ => value)).Message.ShouldContain(ImportLimits.RowsVariable);
}
