using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Import.AnnexA;
using NodaTime;

namespace CasePathway.Import.Tests.AnnexA;

/// <summary>
/// The quirks of annex-a.md as real .xlsx cells (the CSV tests cannot hold typed cells): Excel date serials,
/// date-formatted cells, numeric ids with trailing decimals, #N/A error cells, rows Excel never wrote,
/// renamed sheets and files that are not workbooks.
/// </summary>
public class AnnexAWorkbookQuirkTests : IDisposable
{
    private static readonly object?[] ReferralHeader = ["Child Unique ID", "Date of Referral", "Referral Source", "Allocated Team", "Allocated Worker"];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ImportBatch Import(params (string, object?[]?[])[] sheets) =>
        AnnexAImporter.Import(TestWorkbook.Write(Path.Combine(_folder.Path, "annex.xlsx"), sheets), "357", Samples.Today);

    [Fact]
    public void Serial_numbers_date_formatted_cells_and_text_dates_read_as_the_same_day()
    {
        var batch = Import(("List 3", [
            ReferralHeader,
            [1001, 44090, "Police"],
            [1002, new ExcelDate(44090), "Police"],
            [1003, "16/09/2020", "Police"],
            [1004, 44090.0, "Police"],
        ]));

        batch.Rejections.ShouldBeEmpty();
        batch.Events.Select(e => (e.Child, e.OccurredAt)).ShouldBe(
            new[] { "1001", "1002", "1003", "1004" }.Select(c => (c, Occurrence.On(new LocalDate(2020, 9, 16)))));
    }

    [Fact]
    public void Numeric_ids_lose_trailing_decimals_and_match_their_text_form()
    {
        var batch = Import(("List 3", [ReferralHeader, [9212044.0, 44090], ["9212044", 44091], ["9212044.0", 44092]]));

        batch.Events.Select(e => e.Child).Distinct().ShouldBe(["9212044"]);
        batch.Events.Count.ShouldBe(3);
    }

    [Fact]
    public void Na_error_cells_are_blank_a_na_child_id_is_rejected_by_row_and_a_na_date_names_its_column()
    {
        var batch = Import(("List 3", [
            ReferralHeader,
            [1, 44090, "Police", new ExcelError("#N/A"), new ExcelError("#N/A")],
            [new ExcelError("#N/A"), 44090, "Police"],
            [3, new ExcelError("#N/A"), "Police"],
        ]));

        batch.Events.Select(e => e.Data).ShouldBe([new ReferralReceived("A3-1-2020-09-16", Source: "police")]);
        batch.Rejections.ShouldBe(
        [
            new Rejection("List 3", null, 3, "Child Unique ID", "the child id is blank"),
            new Rejection("List 3", "3", 4, "Date of Referral", "is blank: the row has no date to import"),
        ]);
    }

    [Fact]
    public void Whole_blank_rows_written_or_never_written_are_skipped_silently_and_later_rows_keep_their_sheet_numbers()
    {
        var batch = Import(("List 3", [
            ["List 3: Referral"],
            null,
            ReferralHeader,
            [1, 44090],
            [null, "", "  "],
            null,
            null,
            [2, "not a date"],
        ]));

        batch.RowsRead.ShouldBe(2);
        batch.Events.Single().Child.ShouldBe("1");
        // Row 8 as Excel numbers it, despite the title row and the rows never written.
        batch.Rejections.ShouldBe([new Rejection("List 3", "2", 8, "Date of Referral",
            "'not a date' is not a date (expected e.g. 16/09/2020, 2020-09-16 or an Excel date)")]);
    }

    [Theory]
    [InlineData("List_3")]
    [InlineData("List 3 - Referrals")]
    [InlineData("list3")]
    public void Renamed_sheets_are_found_and_missing_lists_are_simply_absent(string name)
    {
        var batch = Import(("Front sheet", [["Annex A"]]), (name, [ReferralHeader, [5, 44090]]));

        batch.Rejections.ShouldBeEmpty();
        batch.Events.Single().Data.ShouldBe(new ReferralReceived("A3-5-2020-09-16"));
    }

    [Fact]
    public void A_workbook_with_no_list_sheet_names_the_sheets_it_found()
    {
        Should.Throw<ImportFileException>(() => Import(("Front sheet", [["Annex A"]]), ("Guidance", [["x"]])))
            .Message.ShouldBe("No Annex A list found: sheets (or CSV files) must be named like 'List 1', 'List_3' or 'List 5 - Section 47'. Found: 'Front sheet', 'Guidance'.");
    }

    [Fact]
    public void A_renamed_date_header_rejects_the_sheet_naming_the_missing_column_and_keeps_other_lists()
    {
        var batch = Import(
            ("List 1", [["Child Unique ID", "Contact date (DD/MM/YYYY)"], [1, 44090]]),
            ("List 3", [ReferralHeader, [1, 44090]]));

        batch.Rejections.Single().ShouldBe(new Rejection("List 1", null, 0, "Date of Contact",
            "no 'Date of Contact' column: the sheet's rows were not imported (headers: Child Unique ID, Contact date (DD/MM/YYYY))"));
        batch.Events.Single().Data.ShouldBeOfType<ReferralReceived>();
    }

    [Fact]
    public void Duplicate_and_extra_columns_in_a_workbook_read_like_csv()
    {
        var batch = Import(("List 3", [
            ["Child Unique ID", "Date of Referral", "Notes", "Date of referral "],
            [1, 44090, "x", null],
            [2, null, "y", new ExcelDate(44091)],
            [3, 44090, "z", 44091],
        ]));

        batch.Events.Select(e => e.Child).ShouldBe(["1", "2"]);
        batch.Rejections.Single().Reason.ShouldStartWith("the column appears more than once and its copies disagree");
    }

    [Theory]
    [InlineData("annex.xlsx", "")]
    [InlineData("annex.xlsx", "Child Unique ID\tDate of Contact\n1\t2020-01-01\n")]
    [InlineData("annex.xls", "<html><body>not really excel</body></html>")]
    public void A_file_that_is_not_a_workbook_is_a_clear_error_not_a_crash(string name, string content)
    {
        var path = _folder.Write(name, content);

        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today))
            .Message.ShouldStartWith($"{name} is not a readable Excel workbook (.xlsx or .xls)");
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_a_clear_error_not_a_crash()
    {
        var path = Path.Combine(_folder.Path, "annex.xlsx");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("word/document.xml").Open()))
            w.Write("<document/>");

        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(path, "357", Samples.Today))
            .Message.ShouldStartWith("annex.xlsx is not a readable Excel workbook (.xlsx or .xls)");
    }
}
