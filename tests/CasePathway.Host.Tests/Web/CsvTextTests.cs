using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Host.Output;
using CasePathway.Tests.Shared;
using CsCheck;

namespace CasePathway.Host.Tests.Web;

/// <summary>Formula injection (OWASP "CSV injection"): every CSV the app writes neutralises cells a spreadsheet would run.</summary>
public sealed class CsvTextTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0")]
    [InlineData("-3", "'-3")] // in a text column even a number-like value is text
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("＝1+1", "'＝1+1")] // full-width: Excel reads it as =
    [InlineData("a=1", "a=1")]
    [InlineData("Team A", "Team A")]
    [InlineData("=HYPERLINK(\"x\"),y", "\"'=HYPERLINK(\"\"x\"\"),y\"")]
    public void A_text_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(string cell, string written) =>
        CsvText.Cell(cell).ShouldBe(written);

    [Theory]
    [InlineData("-3", "-3")]
    [InlineData("-2.5", "-2.5")]
    [InlineData("12", "12")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("-3 working days", "'-3 working days")]
    [InlineData("=3", "'=3")]
    [InlineData("+3", "'+3")] // the app never writes a plus sign; someone else did
    public void A_numeric_column_keeps_plain_numbers_and_neutralises_anything_else(string cell, string written) =>
        CsvText.Cell(cell, numeric: true).ShouldBe(written);

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

    [Fact]
    public void No_written_cell_starts_a_formula_unless_it_is_a_plain_number_in_a_numeric_column()
    {
        Gen.Select(Fuzz.Text, Gen.Char["=+-@\t\r＝＋－＠a1"], Gen.Bool).Sample((text, lead, numeric) =>
        {
            var cell = lead + text;
            var written = CsvText.Cell(cell, numeric);
            var unquoted = written.StartsWith('"') ? written[1..^1].Replace("\"\"", "\"") : written;
            var plainNumber = numeric && System.Text.RegularExpressions.Regex.IsMatch(cell, "^-?[0-9]+(\\.[0-9]+)?$");
            if (FormulaStarts.Contains(unquoted[0]) && !plainNumber) throw new ShouldAssertException($"'{cell}' was written as '{written}'");
            if (!plainNumber && unquoted.TrimStart('\'') != cell) throw new ShouldAssertException($"'{cell}' lost text: '{written}'");
        }, iter: Fuzz.Iterations(2000), seed: Fuzz.Seed);
    }

    [Fact]
    public void The_numeric_columns_each_writer_names_are_columns_it_writes()
    {
        // a misspelt name would silently turn a column of numbers into quoted text
        BreachCsv.NumericColumns.ShouldBeSubsetOf(BreachCsv.Columns);
        ReportClocksCommand.ClockCsvNumericColumns.ShouldBeSubsetOf(ReportClocksCommand.ClockCsvColumns);
        ScorecardFormats.CsvNumericColumns.ShouldBeSubsetOf(ScorecardFormats.CsvColumns);
    }

    [Fact]
    public void Numbers_stay_numbers_and_text_is_neutralised_in_one_file()
    {
        var csv = CsvText.Write(["team", "elapsed"], [["-Team", "-2.5"], ["=x", "=x"]], new HashSet<string> { "elapsed" });
        csv.ShouldBe("team,elapsed\r\n'-Team,-2.5\r\n'=x,'=x\r\n");
    }
}
