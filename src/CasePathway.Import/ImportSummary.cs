using System.Text.Encodings.Web;
using System.Text.Json;

namespace CasePathway.Import;

/// <summary>The contract's import summary: rows read and rejected, events appended and already present.</summary>
public sealed record ImportSummary(
    int RowsRead,
    int EventsAppended,
    int EventsAlreadyPresent,
    int RowsRejected,
    IReadOnlyList<Rejection> Rejections,
    IReadOnlyList<ImportWarning> Warnings)
{
    public static ImportSummary Of(ImportBatch batch, AppendCounts counts) =>
        new(batch.RowsRead, counts.Appended, counts.AlreadyPresent, batch.RowsRejected, batch.Rejections, batch.Warnings);

    /// <summary>The contract's four totals, which every import's summary starts with (the SSD's too).</summary>
    internal static void WriteTotals(Utf8JsonWriter w, int rowsRead, int eventsAppended, int eventsAlreadyPresent, int rowsRejected)
    {
        w.WriteNumber("rowsRead", rowsRead);
        w.WriteNumber("eventsAppended", eventsAppended);
        w.WriteNumber("eventsAlreadyPresent", eventsAlreadyPresent);
        w.WriteNumber("rowsRejected", rowsRejected);
    }

    /// <summary>The contract's JSON shape (<c>warnings</c> added, present only when there are some).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            WriteTotals(w, RowsRead, EventsAppended, EventsAlreadyPresent, RowsRejected);
            w.WriteStartArray("rejections");
            foreach (var r in Rejections)
            {
                w.WriteStartObject();
                if (r.Sheet is not null) w.WriteString("sheet", r.Sheet);
                if (r.Child is not null) w.WriteString("child", r.Child);
                w.WriteNumber("row", r.Row);
                if (r.Column is not null) w.WriteString("column", r.Column);
                w.WriteString("reason", r.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (Warnings.Count > 0)
            {
                w.WriteStartArray("warnings");
                foreach (var warning in Warnings)
                {
                    w.WriteStartObject();
                    if (warning.Sheet is not null) w.WriteString("sheet", warning.Sheet);
                    if (warning.Row is { } row) w.WriteNumber("row", row);
                    w.WriteString("child", warning.Child);
                    w.WriteString("field", warning.Field);
                    w.WriteString("message", warning.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
