using CasePathway.Store.Pathways;

namespace CasePathway.Import;

/// <summary>
/// Stores what a source produced, through the one way in every write takes, and reports it in the
/// contract's summary shape. An event the pathway refuses (a stop before its start, a retraction of an
/// unknown event) is a rejection naming the child and field; the rest of the file is stored.
/// </summary>
public sealed class ImportRunner(PathwayAppender appender)
{
    public async Task<ImportSummary> RunAsync(ImportBatch batch, CancellationToken ct = default)
    {
        var counts = await ImportAppend.RunAsync(appender, batch.Events, ct);
        var refused = counts.Refused
            .Select(r => new Rejection(null, r.Event.Child, 0, r.Field, $"{r.Event.Type} {r.Event.Id}: {r.Message}"))
            .ToList();
        return ImportSummary.Of(batch with { Rejections = [.. batch.Rejections, .. refused] }, counts);
    }
}
