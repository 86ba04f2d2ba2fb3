using CasePathway.Domain.Events;

namespace CasePathway.Import;

/// <summary>
/// A row (or record) that was not imported and why. Annex A names the sheet, the census the child; both
/// give the row (sheet row, XML line or JSON Lines line) and the column or field concerned.
/// </summary>
public sealed record Rejection(string? Sheet, string? Child, int Row, string? Column, string Reason);

/// <summary>
/// Something imported but worth a look, such as a source's own deadline that disagrees with ours, or an Annex A
/// assessment imported without its outcome. Annex A names the sheet and row as well; the census names the child.
/// </summary>
public sealed record ImportWarning(string Child, string Field, string Message, string? Sheet = null, int? Row = null);

/// <summary>What reading a source produced: its events and the row report. Nothing is stored yet.</summary>
public sealed record ImportBatch(
    IReadOnlyList<PathwayEvent> Events,
    int RowsRead,
    IReadOnlyList<Rejection> Rejections,
    IReadOnlyList<ImportWarning> Warnings)
{
    /// <summary>Rows with at least one rejection (a row can be rejected for several reasons).</summary>
    public int RowsRejected => Rejections.Select(r => (r.Sheet, r.Child, r.Row)).Distinct().Count();
}

/// <summary>Collects a batch while a source is read; keeps the first of any events with the same id.</summary>
public sealed class ImportBatchBuilder
{
    private readonly List<PathwayEvent> _events = [];
    private readonly HashSet<Guid> _ids = [];
    private readonly List<Rejection> _rejections = [];
    private readonly List<ImportWarning> _warnings = [];

    public int RowsRead { get; private set; }

    public void RowRead() => RowsRead++;

    public void Add(PathwayEvent e)
    {
        // Ids are derived from content, so a repeat is the same event: a duplicate row, not a new fact.
        if (_ids.Add(e.Id)) _events.Add(e);
    }

    public void Reject(Rejection rejection) => _rejections.Add(rejection);

    public void Warn(ImportWarning warning) => _warnings.Add(warning);

    public ImportBatch Build() => new(_events.ToList(), RowsRead, _rejections.ToList(), _warnings.ToList());
}
