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
        var outcome = await appender.AppendAsync(batch.Events, AppendSource.Import, allOrNothing: false, ct: ct);
        var refused = outcome.Rejected
            .SelectMany(o => o.Problems.Select(p => new Rejection(null, o.Event.Child, 0, p.Field, $"{o.Event.Type} {o.Event.Id}: {p.Message}")))
            .ToList();
        var counts = new AppendCounts(outcome.Appended, outcome.AlreadyPresent);
        return ImportSummary.Of(batch with { Rejections = [.. batch.Rejections, .. refused] }, counts);
    }
}
