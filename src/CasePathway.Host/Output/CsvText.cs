using System.Text;

namespace CasePathway.Host.Output;

/// <summary>
/// The one CSV dialect CasePathway writes, for the CLI and the web exports alike: RFC 4180 (CRLF line
/// ends, fields quoted when they hold a comma, quote or line break), header row first.
/// </summary>
public static class CsvText
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringWriter(new StringBuilder());
        Write(text, header, rows);
        return text.ToString();
    }

    public static void Write(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        WriteRow(writer, header);
        foreach (var row in rows) WriteRow(writer, row);
        writer.Flush();
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) writer.Write(',');
            writer.Write(Quote(cells[i]));
        }
        writer.Write("\r\n");
    }

    private static string Quote(string? cell)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        // a spreadsheet would run a cell starting = + - @ as a formula; negative numbers stay numbers
        if (cell[0] is '=' or '+' or '@' || (cell[0] == '-' && !(cell.Length > 1 && char.IsAsciiDigit(cell[1])))) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
