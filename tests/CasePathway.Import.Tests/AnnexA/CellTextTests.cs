using CasePathway.Import.AnnexA;
using NodaTime;

namespace CasePathway.Import.Tests.AnnexA;

public class CellTextTests
{
    [Theory]
    [InlineData(44090.0, 2020, 9, 16)]
    [InlineData(61.0, 1900, 3, 1)]
    [InlineData(43831.5, 2020, 1, 1)]
    public void Excel_serials_count_days_since_1899_12_30(double serial, int y, int m, int d) =>
        CellText.Date(serial).Date.ShouldBe(new LocalDate(y, m, d));

    [Fact]
    public void DateTime_cells_keep_their_date() => CellText.Date(new DateTime(2020, 9, 16, 13, 0, 0)).Date.ShouldBe(new LocalDate(2020, 9, 16));

    [Theory]
    [InlineData("b) Female", "Female")]
    [InlineData("Female", "Female")]
    [InlineData("q) 6: Police", "6: Police")]
    public void Coded_values_lose_their_letter(string text, string plain) => CellText.Plain(text).ShouldBe(plain);

    [Theory]
    [InlineData("q) 6: Police")]
    [InlineData("POLICE")]
    [InlineData("Police")]
    [InlineData("6: Police")]
    public void Sources_read_the_same_coded_or_plain(string text) => CellText.Source(text).ShouldBe("police");

    [Theory]
    [InlineData("a) Yes", true)]
    [InlineData("Y", true)]
    [InlineData("yes", true)]
    [InlineData("b) No", false)]
    [InlineData("N", false)]
    [InlineData("c) Unknown", null)]
    [InlineData("#N/A", null)]
    public void Yes_no_in_its_spellings(string text, bool? expected) => CellText.YesNo(text).ShouldBe(expected);

    [Theory]
    [InlineData(12.0, "12")]
    [InlineData("12.0", "12")]
    [InlineData("12.00", "12")]
    [InlineData("C12.0", "C12.0")]
    [InlineData(" 12 ", "12")]
    public void Ids_lose_trailing_decimals(object cell, string id) => CellText.Id(cell).ShouldBe(id);

    [Theory]
    [InlineData("List 1", 1)]
    [InlineData("List_1", 1)]
    [InlineData("List 1 - Contacts", 1)]
    [InlineData("LIST10", 10)]
    [InlineData("list 11 adopters", 11)]
    [InlineData("Guidance", null)]
    [InlineData("Checklist 2", null)]
    public void List_numbers_from_sheet_names(string name, int? list) => AnnexAColumns.ListNumber(name).ShouldBe(list);
}
