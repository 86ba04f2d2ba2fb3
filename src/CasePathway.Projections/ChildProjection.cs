using CasePathway.Store;
using CasePathway.Store.Marten;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CasePathway.Projections;

/// <summary>
/// A read model kept per child, run by Marten's async daemon. Every child a batch touches is refolded ONCE
/// from its whole stream (a few dozen events) and its rows replaced, so late-recorded and retracted events
/// go through the same pure code as everything else, and a rebuild gives exactly what live processing gives.
/// The writes are queued on the daemon's session and commit in its transaction, with its progression.
/// </summary>
public abstract class ChildProjection : IProjection
{
    /// <summary>The projection's name: Marten's shard is <c>{Name}:All</c>; <c>projections status</c> shows it.</summary>
    public abstract string Name { get; }

    /// <summary>Where a parked child is reported (a warning); the server sets its own.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The tables this projection owns, each keyed by child.</summary>
    public abstract IReadOnlyList<ChildTable> Tables { get; }

    /// <summary>The rows of one child's whole stream, appended to <paramref name="rows"/> (one list per table, in <see cref="Tables"/>' order).</summary>
    protected abstract void Fold(string tenant, string child, IReadOnlyList<StoredEvent> stream, IReadOnlyList<List<object?[]>> rows);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (events.Count == 0) return;
        var children = events
            .Select(e => (e.TenantId, e.StreamKey ?? throw new InvalidOperationException($"Event {e.Id} has no stream key.")))
            .Distinct()
            .ToList();
        // Marten hands a batch over per tenant; every event of these children up to the batch's last sequence is
        // in this batch or an earlier one, so reading up to it gives each child as the daemon has now seen it.
        var upTo = events.Max(e => e.Sequence);
        var streams = await new MartenEventStore(operations.DocumentStore).ReadStreamsAsync(children, upTo, cancellation);
        Write(operations, children, streams);
    }

    /// <summary>
    /// The one row writer, for the daemon and the rebuild alike: deletes these children's rows and inserts
    /// the rows of their streams, queued on <paramref name="operations"/> so they commit with its transaction.
    /// A child whose fold throws is parked (<c>parked_children</c>) and keeps the rows last folded for it, so one
    /// bad event never stops the batch, the projection, or any other child or council.
    /// </summary>
    public void Write(IDocumentOperations operations, IReadOnlyCollection<(string Tenant, string Child)> children,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> streams)
    {
        var rows = Tables.Select(_ => new List<object?[]>()).ToList();
        var folded = new List<(string Tenant, string Child)>(children.Count);
        var parked = new List<(string Tenant, string Child, string Error)>();
        foreach (var (tenant, child) in children)
        {
            if (!streams.TryGetValue((tenant, child), out var stream) || stream.Count == 0)
            {
                folded.Add((tenant, child));
                continue;
            }
            var own = Tables.Select(_ => new List<object?[]>()).ToList();
            try
            {
                Fold(tenant, child, stream, own);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                parked.Add((tenant, child, Truncate($"{e.GetType().Name}: {e.Message}", 2000)));
                // The council, the sequences and the event types find the events; the child's id and the events'
                // content stay out of the log (personal data). `projections parked` names the child to an administrator.
                Logger.LogWarning(
                    "Projection {Projection} parked a child of council {Tenant}: its events (sequences {FirstSequence}–{LastSequence}, types {EventTypes}) do not fold: {ErrorType}. The child keeps its last rows; see `casepathway projections parked --tenant {Tenant}`.",
                    Name, tenant, stream.Min(x => x.Sequence), stream.Max(x => x.Sequence),
                    string.Join(",", stream.Select(x => x.Type).Distinct()), e.GetType().Name, tenant);
                continue;
            }
            for (var i = 0; i < own.Count; i++) rows[i].AddRange(own[i]);
            folded.Add((tenant, child));
        }
        foreach (var table in Tables) table.QueueDelete(operations, folded);
        for (var i = 0; i < Tables.Count; i++) Tables[i].QueueInsert(operations, rows[i]);
        if (folded.Count > 0)
            operations.QueueSqlCommand(
                "delete from parked_children p using unnest(?::text[], ?::text[]) as u(tenant, child) " +
                "where p.projection = ? and p.tenant = u.tenant and p.child = u.child",
                folded.Select(c => c.Tenant).ToArray(), folded.Select(c => c.Child).ToArray(), Name);
        if (parked.Count > 0)
            operations.QueueSqlCommand(
                "insert into parked_children (projection, tenant, child, error) " +
                "select ?, u.tenant, u.child, u.error from unnest(?::text[], ?::text[], ?::text[]) as u(tenant, child, error) " +
                "on conflict (projection, tenant, child) do update set error = excluded.error, parked_at = now()",
                Name, parked.Select(c => c.Tenant).ToArray(), parked.Select(c => c.Child).ToArray(), parked.Select(c => c.Error).ToArray());
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
