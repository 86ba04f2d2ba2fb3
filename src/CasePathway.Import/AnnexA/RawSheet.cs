namespace CasePathway.Import.AnnexA;

/// <summary>A sheet as read: its name and its rows, numbered as the user sees them (1-based).</summary>
public sealed record RawSheet(string Name, IReadOnlyList<RawRow> Rows);

/// <summary>One row's cells: strings, doubles (numbers and Excel serial dates), DateTimes, booleans or nulls.</summary>
public sealed record RawRow(int Number, IReadOnlyList<object?> Cells)
{
    public bool IsBlank => Cells.All(c => c is null || (c is string s && string.IsNullOrWhiteSpace(s)));
}
