using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Import.AnnexA;

/// <summary>
/// Reads one row's cells, collecting what is wrong with them; any problem rejects the whole row, so a
/// row is imported entirely or not at all.
/// </summary>
internal sealed class RowReader(ListTable table, RawRow row, string child, LocalDate today)
{
    private readonly List<Rejection> _rejections = [];
    private readonly List<ImportWarning> _warnings = [];

    public IReadOnlyList<Rejection> Rejections => _rejections;

    /// <summary>What was imported but is worth a look; unlike a rejection it keeps the row.</summary>
    public IReadOnlyList<ImportWarning> Warnings => _warnings;

    /// <summary>True once a problem means none of the row's events can be trusted.</summary>
    public bool RejectsRow { get; private set; }

    /// <summary>The row's start date as text, for its source key.</summary>
    public string StartKey { get; private set; } = "";

    public object? Raw(string key)
    {
        var (value, conflict) = table.Cell(row, key);
        if (conflict is not null) Reject(key, conflict);
        return value;
    }

    public LocalDate? Date(string key, bool required = false)
    {
        var problemsBefore = _rejections.Count;
        var (date, error) = CellText.Date(Raw(key));
        if (_rejections.Count > problemsBefore) return null;
        if (error is not null)
        {
            Reject(key, error);
            return null;
        }
        if (date is null)
        {
            if (required) Reject(key, "is blank: the row has no date to import");
            return null;
        }
        if (date > today)
        {
            Reject(key, $"{date:uuuu-MM-dd} is in the future");
            return null;
        }
        if (DoorLimits.OccurredProblem(Occurrence.On(date.Value)) is { } outside)
        {
            Reject(key, outside);
            return null;
        }
        if (key == AnnexAColumns.Start) StartKey = OccurrenceText.FormatDate(date.Value);
        return date;
    }

    /// <summary>A later date of the row (an end, an authorisation, a review) that cannot precede its start.</summary>
    public LocalDate? DateNotBefore(string key, LocalDate start)
    {
        var date = Date(key);
        if (date is { } d && d < start)
        {
            Reject(key, $"{d:uuuu-MM-dd} is before the row's start ({table.HeaderOf(AnnexAColumns.Start)}: {start:uuuu-MM-dd})");
            return null;
        }
        return date;
    }

    public void Warn(string key, string message) =>
        _warnings.Add(new ImportWarning(child, table.HeaderOf(key), message, table.Sheet.Name, row.Number));

    public void Reject(string key, string reason)
    {
        RejectsRow = true;
        _rejections.Add(new Rejection(table.Sheet.Name, DoorLimits.Shown(child), row.Number, table.HeaderOf(key), reason));
    }
}
