using CasePathway.Domain.Events;
using CasePathway.Store.Pathways;

namespace CasePathway.Import;

/// <summary>How many of an import's events were new, how many the store already had, and which the pathway refused.</summary>
public sealed record AppendCounts(int Appended, int AlreadyPresent, IReadOnlyList<RefusedEvent> Refused)
{
    public AppendCounts(int appended, int alreadyPresent) : this(appended, alreadyPresent, []) { }
}

/// <summary>An event the child's stored pathway refused (a stop before its start, a retraction of an unknown event).</summary>
public sealed record RefusedEvent(PathwayEvent Event, string Field, string Message);

/// <summary>An import's events through the one way in: history, so the rest is stored when one event is refused.</summary>
public static class ImportAppend
{
    public static async Task<AppendCounts> RunAsync(PathwayAppender appender, IReadOnlyList<PathwayEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return new AppendCounts(0, 0);
        var outcome = await appender.AppendAsync(events, AppendSource.Import, allOrNothing: false, ct: ct);
        var refused = outcome.Rejected.SelectMany(o => o.Problems.Select(p => new RefusedEvent(o.Event, p.Field, p.Message))).ToList();
        return new AppendCounts(outcome.Appended, outcome.AlreadyPresent, refused);
    }
}
