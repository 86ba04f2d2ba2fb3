using System.Text;
using System.Text.RegularExpressions;

namespace CasePathway.Host.Output;

/// <summary>
/// The one CSV dialect CasePathway writes, for the CLI and the web exports alike: RFC 4180 (CRLF line
/// ends, fields quoted when they hold a comma, quote or line break), header row first.
/// </summary>
/// <remarks>
/// Cells are neutralised against formula injection as OWASP recommends: a cell that a spreadsheet would
/// run as a formula (it starts with = + - @, a tab or a carriage return, or their full-width forms) gets a
/// leading single quote. Text comes from case systems and people, so every text cell is treated so. The
/// columns a writer names as numeric hold numbers the app itself formats; there a plain number such as
/// <c>-3</c> or <c>-2.5</c> is written as it is, so a spreadsheet still reads it as a number, and anything
/// else in them is neutralised like text.
/// </remarks>
public static partial class CsvText
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlySet<string>? numericColumns = null)
    {
        var text = new StringWriter(new StringBuilder());
        Write(text, header, rows, numericColumns);
        return text.ToString();
    }

    public static void Write(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlySet<string>? numericColumns = null)
    {
        var numeric = header.Select(h => numericColumns?.Contains(h) == true).ToArray();
        WriteRow(writer, header, []);
        foreach (var row in rows) WriteRow(writer, row, numeric);
        writer.Flush();
    }

    /// <summary>
    /// Rows written as the source yields them, a hundred at a time, so an export of any length holds at
    /// most a hundred rows in memory.
    /// </summary>
    public static async Task WriteAsync(TextWriter writer, IReadOnlyList<string> header, IAsyncEnumerable<IReadOnlyList<string?>> rows, IReadOnlySet<string>? numericColumns = null, CancellationToken ct = default)
    {
        var numeric = header.Select(h => numericColumns?.Contains(h) == true).ToArray();
        // each row is formed in memory and written asynchronously: a response body refuses synchronous writes
        var line = new StringWriter(new StringBuilder());
        WriteRow(line, header, []);
        var written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            WriteRow(line, row, numeric);
            if (++written % 100 == 0) await Drain(writer, line, ct);
            if (written % 1000 == 0) await writer.FlushAsync(ct);
        }
        await Drain(writer, line, ct);
        await writer.FlushAsync(ct);
    }

    private static async Task Drain(TextWriter writer, StringWriter line, CancellationToken ct)
    {
        var builder = line.GetStringBuilder();
        await writer.WriteAsync(builder, ct);
        builder.Clear();
    }

    /// <summary>The cell as written: neutralised when a spreadsheet would take it for a formula, then quoted when needed.</summary>
    public static string Cell(string? cell, bool numeric = false)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        if (IsFormulaLike(cell) && !(numeric && PlainNumber().IsMatch(cell))) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }

    private static bool IsFormulaLike(string cell) =>
        cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠';

    private static void WriteRow(TextWriter writer, IReadOnlyList<string?> cells, bool[] numeric)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) writer.Write(',');
            writer.Write(Cell(cells[i], i < numeric.Length && numeric[i]));
        }
        writer.Write("\r\n");
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();
}
