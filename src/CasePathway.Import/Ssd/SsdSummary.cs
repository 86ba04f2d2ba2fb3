using System.Text.Encodings.Web;
using System.Text.Json;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Import.Ssd;

/// <summary>What a vanished row (in last night's snapshot, not in tonight's) becomes.</summary>
public enum VanishedRows
{
    /// <summary>Its events are retracted: the source deleted the record.</summary>
    Retract,

    /// <summary>Its events stay, with a warning naming the row (a partial extract, a source that archives).</summary>
    Keep,
}

/// <summary>One table of one night: what was read and what it became.</summary>
public sealed class SsdTableSummary(string table)
{
    public string Table { get; } = table;

    /// <summary>False when the table's CSV was not in the folder: its rows are left as they were.</summary>
    public bool Present { get; internal set; }

    public int RowsRead { get; internal set; }

    /// <summary>Rows whose events were all stored already, with nothing to retract.</summary>
    public int Unchanged { get; internal set; }

    /// <summary>Events of dates the store did not have (a new row, or a row that gained a date).</summary>
    public int NewEvents { get; internal set; }

    /// <summary>Dates (or values) changed since the last snapshot: the old event retracted, the corrected one appended.</summary>
    public int Corrections { get; internal set; }

    /// <summary>Events retracted because their row vanished or their date was blanked.</summary>
    public int Retractions { get; internal set; }

    /// <summary>Rows vanished and kept (<see cref="VanishedRows.Keep"/>), each with a warning.</summary>
    public int VanishedKept { get; internal set; }

    /// <summary>Rows rejected (a row with several problems counts once).</summary>
    public int Rejections { get; internal set; }
}

/// <summary>A row that was not imported: table, the row's SSD key, its CSV line, the column and the reason.</summary>
public sealed record SsdRejection(string Table, string? Key, int Row, string? Column, string Reason);

/// <summary>Imported, but worth a look (a vanished row kept, an assessment without its referral id, a missing table).</summary>
public sealed record SsdWarning(string Table, string? Key, string? Column, string Message);

/// <summary>The night's summary: per table, then the rejections and warnings (the first 1,000 of each listed).</summary>
public sealed class SsdSummary
{
    public const int ListedLimit = 1000;

    private readonly List<SsdRejection> _rejections = [];
    private readonly List<SsdWarning> _warnings = [];

    public SsdSummary(Instant asOf, IEnumerable<string> tables)
    {
        AsOf = asOf;
        Tables = tables.Select(t => new SsdTableSummary(t)).ToList();
    }

    /// <summary>The snapshot's instant: the recordedAt of every event this night added.</summary>
    public Instant AsOf { get; }

    public IReadOnlyList<SsdTableSummary> Tables { get; }

    public IReadOnlyList<SsdRejection> Rejections => _rejections;

    public IReadOnlyList<SsdWarning> Warnings => _warnings;

    public int EventsAppended { get; internal set; }

    public int EventsAlreadyPresent { get; internal set; }

    public int RowsRead => Tables.Sum(t => t.RowsRead);

    public int RowsRejected => Tables.Sum(t => t.Rejections);

    public int WarningCount { get; private set; }

    public SsdTableSummary Table(string name) => Tables.Single(t => t.Table == name);

    internal void Reject(SsdRejection rejection)
    {
        if (_rejections.Count < ListedLimit) _rejections.Add(rejection);
    }

    internal void Warn(SsdWarning warning)
    {
        WarningCount++;
        if (_warnings.Count < ListedLimit) _warnings.Add(warning);
    }

    /// <summary>The contract's summary fields, then <c>asOf</c>, <c>tables</c> and <c>warnings</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            ImportSummary.WriteTotals(w, RowsRead, EventsAppended, EventsAlreadyPresent, RowsRejected);
            w.WriteStartArray("rejections");
            foreach (var r in _rejections)
            {
                w.WriteStartObject();
                w.WriteString("sheet", r.Table);
                if (r.Key is not null) w.WriteString("key", r.Key);
                w.WriteNumber("row", r.Row);
                if (r.Column is not null) w.WriteString("column", r.Column);
                w.WriteString("reason", r.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("asOf", OccurrenceText.Format(AsOf));
            w.WriteStartArray("tables");
            foreach (var t in Tables)
            {
                w.WriteStartObject();
                w.WriteString("table", t.Table);
                w.WriteBoolean("present", t.Present);
                w.WriteNumber("rowsRead", t.RowsRead);
                w.WriteNumber("unchanged", t.Unchanged);
                w.WriteNumber("newEvents", t.NewEvents);
                w.WriteNumber("corrections", t.Corrections);
                w.WriteNumber("retractions", t.Retractions);
                w.WriteNumber("vanishedKept", t.VanishedKept);
                w.WriteNumber("rejections", t.Rejections);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("warningCount", WarningCount);
            w.WriteStartArray("warnings");
            foreach (var x in _warnings)
            {
                w.WriteStartObject();
                w.WriteString("sheet", x.Table);
                if (x.Key is not null) w.WriteString("key", x.Key);
                if (x.Column is not null) w.WriteString("field", x.Column);
                w.WriteString("message", x.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
