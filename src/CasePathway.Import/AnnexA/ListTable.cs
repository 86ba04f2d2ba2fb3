namespace CasePathway.Import.AnnexA;

/// <summary>
/// One list's sheet with its header row found and its columns matched. A column matched twice (a
/// duplicated or extra column) is read from whichever copy has a value; copies that disagree reject the row.
/// </summary>
public sealed class ListTable
{
    private const int HeaderSearchRows = 15;

    private ListTable(RawSheet sheet, int list, int headerIndex, IReadOnlyList<string> headers, Dictionary<string, int[]> columns)
    {
        Sheet = sheet;
        List = list;
        HeaderIndex = headerIndex;
        Headers = headers;
        Columns = columns;
    }

    public RawSheet Sheet { get; }
    public int List { get; }
    public IReadOnlyList<string> Headers { get; }
    private int HeaderIndex { get; }
    private Dictionary<string, int[]> Columns { get; }

    public IEnumerable<RawRow> DataRows => Sheet.Rows.Skip(HeaderIndex + 1);

    public bool Has(string key) => Columns.ContainsKey(key);

    /// <summary>The header as the sheet writes it, for messages.</summary>
    public string HeaderOf(string key) => Columns.TryGetValue(key, out var i) ? Headers[i[0]] : key;

    /// <summary>Finds the header row (it may follow a title row) and matches the list's columns.</summary>
    public static ListTable? Locate(RawSheet sheet, int list)
    {
        if (sheet.Rows.All(r => r.IsBlank)) return null;
        var headerIndex = -1;
        for (var i = 0; i < Math.Min(HeaderSearchRows, sheet.Rows.Count) && headerIndex < 0; i++)
            if (sheet.Rows[i].Cells.Any(c => AnnexAColumns.ChildColumn.Pattern.IsMatch(HeaderText.Normalise(CellText.Text(c)))))
                headerIndex = i;
        if (headerIndex < 0)
        {
            var seen = sheet.Rows.Take(HeaderSearchRows).FirstOrDefault(r => !r.IsBlank);
            var shown = seen is null ? "" : " (its first row reads: " + string.Join(", ", seen.Cells.Select(CellText.Text).OfType<string>().Take(6)) + ")";
            throw new ImportFileException($"Sheet '{sheet.Name}' (list {list}) has no 'Child Unique ID' column in its first {HeaderSearchRows} rows{shown}.");
        }

        var headers = sheet.Rows[headerIndex].Cells.Select(c => CellText.Text(c) ?? "").ToArray();
        var normalised = headers.Select(HeaderText.Normalise).ToArray();
        var columns = new Dictionary<string, int[]>();
        foreach (var spec in AnnexAColumns.Lists[list].Prepend(AnnexAColumns.ChildColumn))
        {
            var matches = Enumerable.Range(0, normalised.Length).Where(i => spec.Pattern.IsMatch(normalised[i])).ToArray();
            if (matches.Length > 0) columns[spec.Key] = matches;
        }
        return new ListTable(sheet, list, headerIndex, headers, columns);
    }

    /// <summary>A cell of a row by column key: null when the column is absent or every copy is blank.</summary>
    public (object? Value, string? Conflict) Cell(RawRow row, string key)
    {
        if (!Columns.TryGetValue(key, out var indexes)) return (null, null);
        object? found = null;
        string? foundText = null;
        foreach (var i in indexes)
        {
            var cell = i < row.Cells.Count ? row.Cells[i] : null;
            var text = CellText.Text(cell);
            if (text is null) continue;
            if (foundText is null)
            {
                found = cell;
                foundText = text;
            }
            else if (text != foundText)
            {
                return (null, $"the column appears more than once and its copies disagree ('{foundText}' and '{text}')");
            }
        }
        return (found, null);
    }
}
