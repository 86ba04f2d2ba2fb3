using CasePathway.Store;

namespace CasePathway.Import;

/// <summary>Stores what a source produced and reports it in the contract's summary shape.</summary>
public sealed class ImportRunner(IEventStore store)
{
    public async Task<ImportSummary> RunAsync(ImportBatch batch, CancellationToken ct = default)
    {
        var counts = await new EventAppender(store).AppendAsync(batch.Events, ct);
        return ImportSummary.Of(batch, counts);
    }
}
