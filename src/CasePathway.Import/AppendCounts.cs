using CasePathway.Domain.Events;
using CasePathway.Store;

namespace CasePathway.Import;

/// <summary>How many of an import's events were new and how many the store already had.</summary>
public sealed record AppendCounts(int Appended, int AlreadyPresent);

/// <summary>
/// Appends an import's events in one transaction, one stream per child, at any stream version: imported
/// history is not a decision taken on the stream's state, and deterministic ids make a re-import a no-op.
/// </summary>
public sealed class EventAppender(IEventStore store)
{
    public async Task<AppendCounts> AppendAsync(IReadOnlyList<PathwayEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return new AppendCounts(0, 0);
        var unique = events.DistinctBy(e => e.Id).ToList();
        var result = await store.BulkAppendAsync(unique.ToStreamAppends(inferRecordedAt: true), ct);
        return new AppendCounts(result.Appended, result.AlreadyPresent + (events.Count - unique.Count));
    }
}
