using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace CasePathway.Projections.Tests.Support;

/// <summary>
/// A projection plus a ledger: every event it is handed is inserted into <c>applied_events</c> on the same
/// session, so in the same transaction as its rows and Marten's progression. A lost event is a missing row;
/// a double, two rows.
/// </summary>
internal sealed class CountingProjection(ChildProjection inner, string process) : IProjection
{
    public const string CreateLedger = "create table if not exists applied_events (seq bigint not null, process text not null)";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        await inner.ApplyAsync(operations, events, cancellation);
        foreach (var e in events) operations.QueueSqlCommand("insert into applied_events values (?, ?)", e.Sequence, process);
    }
}
