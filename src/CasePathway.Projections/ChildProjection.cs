using System.Buffers;
using CasePathway.Domain.Events;
using CasePathway.Store;
using CasePathway.Store.Marten;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

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
    /// <param name="events">The same stream as the domain's events (<see cref="StoredEvent.ToPathwayEvent"/>), made once for every projection.</param>
    protected abstract void Fold(string tenant, string child, IReadOnlyList<StoredEvent> stream, IReadOnlyList<PathwayEvent> events, IReadOnlyList<List<object?[]>> rows);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (events.Count == 0) return;
        var children = events
            .Select(e => (e.TenantId, e.StreamKey ?? throw new InvalidOperationException($"Event {e.Id} has no stream key.")))
            .Distinct()
            .ToList();
        // A child that begins in this batch (an import's new children, most of a catch-up) is folded from the
        // batch's own events; only those begun in an earlier batch are read again. Marten hands a batch over per
        // tenant; every event of these children up to the batch's last sequence is in this batch or an earlier
        // one, so reading up to it gives each child as the daemon has now seen it.
        var (streams, toRead) = MartenEventStore.StreamsOfBatch(events);
        if (toRead.Count > 0)
        {
            var upTo = events.Max(e => e.Sequence);
            foreach (var (key, stream) in await new MartenEventStore(operations.DocumentStore).ReadStreamsAsync(toRead, upTo, cancellation))
                streams[key] = stream;
        }
        Write(operations, children, streams);
    }

    /// <summary>
    /// The one row writer for the daemon and a retry: deletes these children's rows and inserts the rows of
    /// their streams, queued on <paramref name="operations"/> so they commit with its transaction.
    /// A child whose fold throws is parked (<c>parked_children</c>) and keeps the rows last folded for it, so one
    /// bad event never stops the batch, the projection, or any other child or council.
    /// </summary>
    public void Write(IDocumentOperations operations, IReadOnlyCollection<(string Tenant, string Child)> children,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> streams)
    {
        var batch = FoldChildren(children, streams);
        foreach (var table in Tables) table.QueueDelete(operations, batch.Folded);
        for (var i = 0; i < Tables.Count; i++) Tables[i].QueueInsert(operations, batch.Rows[i]);
        if (batch.Folded.Count > 0)
            operations.QueueSqlCommand(MartenPlaceholders(UnparkSql),
                batch.Folded.Select(c => c.Tenant).ToArray(), batch.Folded.Select(c => c.Child).ToArray(), Name);
        if (batch.Parked.Count > 0)
            operations.QueueSqlCommand(MartenPlaceholders(ParkSql),
                Name, batch.Parked.Select(c => c.Tenant).ToArray(), batch.Parked.Select(c => c.Child).ToArray(), batch.Parked.Select(c => c.Error).ToArray());
    }

    /// <summary>
    /// The rebuild's writer: the same rows as <see cref="Write"/>, sent by binary COPY on the rebuild's own
    /// transaction into tables it emptied, so there is nothing to delete and no JSON to build or unpack.
    /// The parked children are kept as <see cref="Write"/> keeps them.
    /// </summary>
    /// <param name="replacing">Null when the tables were emptied in this transaction (a rebuild: the rows go in frozen); otherwise
    /// (a catch-up) the folded children whose rows the tables may still hold, deleted first.</param>
    public async Task CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FoldedChildren batch, CancellationToken ct,
        IReadOnlyCollection<(string Tenant, string Child)>? replacing = null)
    {
        if (replacing is not null)
            foreach (var table in Tables) await table.DeleteAsync(connection, transaction, replacing, ct);
        for (var i = 0; i < Tables.Count; i++)
            await (batch.Encoded is { } encoded
                ? CopyRows.CopyAsync(connection, Tables[i], encoded[i], freeze: replacing is null, ct)
                : Tables[i].CopyAsync(connection, batch.Rows[i], ct, freeze: replacing is null));
        if (batch.Folded.Count > 0)
        {
            await using var unpark = new NpgsqlCommand(UnparkSql, connection, transaction);
            unpark.Parameters.Add(new() { Value = batch.Folded.Select(c => c.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            unpark.Parameters.Add(new() { Value = batch.Folded.Select(c => c.Child).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            unpark.Parameters.Add(new() { Value = Name, NpgsqlDbType = NpgsqlDbType.Text });
            await unpark.ExecuteNonQueryAsync(ct);
        }
        if (batch.Parked.Count > 0)
        {
            await using var park = new NpgsqlCommand(ParkSql, connection, transaction);
            park.Parameters.Add(new() { Value = Name, NpgsqlDbType = NpgsqlDbType.Text });
            park.Parameters.Add(new() { Value = batch.Parked.Select(c => c.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            park.Parameters.Add(new() { Value = batch.Parked.Select(c => c.Child).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            park.Parameters.Add(new() { Value = batch.Parked.Select(c => c.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await park.ExecuteNonQueryAsync(ct);
        }
    }

    // Marten's queued commands take '?' for each parameter in order; both statements number theirs in order.
    private static string MartenPlaceholders(string sql) => System.Text.RegularExpressions.Regex.Replace(sql, @"\$\d", "?");

    private const string UnparkSql =
        "delete from parked_children p using unnest($1::text[], $2::text[]) as u(tenant, child) " +
        "where p.projection = $3 and p.tenant = u.tenant and p.child = u.child";

    private const string ParkSql =
        "insert into parked_children (projection, tenant, child, error) " +
        "select $1, u.tenant, u.child, u.error from unnest($2::text[], $3::text[], $4::text[]) as u(tenant, child, error) " +
        "on conflict (projection, tenant, child) do update set error = excluded.error, parked_at = now()";

    /// <summary>
    /// Folds every child of a batch (in parallel across children: each fold is pure and the rows keep the
    /// children's order), parking those whose fold throws.
    /// </summary>
    public FoldedChildren FoldChildren(IReadOnlyCollection<(string Tenant, string Child)> children,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> streams) =>
        FoldChildren([this], children, streams)[0];

    /// <summary>
    /// Folds every child of a batch into each of <paramref name="projections"/> (in parallel across children: each fold
    /// is pure and the rows keep the children's order), each child's stream made into the domain's events once for all
    /// of them; a projection parks the children whose fold throws in it, as <see cref="FoldChildren(IReadOnlyCollection{ValueTuple{string, string}}, IReadOnlyDictionary{ValueTuple{string, string}, IReadOnlyList{StoredEvent}})"/> does.
    /// </summary>
    /// <param name="encoded">The rows wanted in binary COPY form (<see cref="FoldedChildren.Encoded"/>, for <see cref="CopyAsync"/>),
    /// encoded as each child is folded, rather than as values.</param>
    /// <returns>One batch per projection, in <paramref name="projections"/>' order.</returns>
    public static IReadOnlyList<FoldedChildren> FoldChildren(IReadOnlyList<ChildProjection> projections, IReadOnlyCollection<(string Tenant, string Child)> children,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> streams, bool encoded = false)
    {
        var list = children as IReadOnlyList<(string Tenant, string Child)> ?? children.ToList();
        var each = new Folded[projections.Count][];
        for (var p = 0; p < each.Length; p++) each[p] = new Folded[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => encoded ? new ArrayBufferWriter<byte>(16 * 1024) : null,
            (i, _, buffer) =>
            {
                var (tenant, child) = list[i];
                if (!streams.TryGetValue((tenant, child), out var stream) || stream.Count == 0) return buffer;
                List<PathwayEvent>? events = null;
                string? unreadable = null;
                try
                {
                    events = new List<PathwayEvent>(stream.Count);
                    foreach (var e in stream) events.Add(e.ToPathwayEvent());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    unreadable = ParkReason(e);
                }
                for (var p = 0; p < projections.Count; p++)
                {
                    if (unreadable is not null)
                    {
                        each[p][i] = new Folded(null, null, unreadable);
                        continue;
                    }
                    var projection = projections[p];
                    var own = new List<object?[]>[projection.Tables.Count];
                    for (var t = 0; t < own.Length; t++) own[t] = [];
                    try
                    {
                        projection.Fold(tenant, child, stream, events!, own);
                        each[p][i] = buffer is null
                            ? new Folded(own, null, null)
                            : new Folded(null, own.Select((rows, t) => CopyRows.Encode(projection.Tables[t], rows, buffer)).ToArray(), null);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        each[p][i] = new Folded(null, null, ParkReason(e));
                    }
                }
                return buffer;
            },
            _ => { });
        return projections.Select((projection, p) => projection.Collect(list, streams, each[p], encoded)).ToList();
    }

    /// <summary>One child's fold in one projection: its rows per table, as values or encoded, or why it is parked.</summary>
    private readonly record struct Folded(List<object?[]>[]? Rows, byte[][]? Encoded, string? Error);

    private FoldedChildren Collect(IReadOnlyList<(string Tenant, string Child)> list,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> streams, Folded[] each, bool encode)
    {
        var rows = new List<object?[]>[Tables.Count];
        var encoded = new List<byte[]>[Tables.Count];
        for (var t = 0; t < rows.Length; t++) (rows[t], encoded[t]) = ([], []);
        var folded = new List<(string Tenant, string Child)>(list.Count);
        var parked = new List<(string Tenant, string Child, string Error)>();
        for (var i = 0; i < list.Count; i++)
        {
            var (tenant, child) = list[i];
            if (each[i].Error is { } error)
            {
                parked.Add((tenant, child, error));
                var stream = streams[(tenant, child)];
                // The council, the sequences and the event types find the events; the child's id and the events'
                // content stay out of the log (personal data). `projections parked` names the child to an administrator.
                Logger.LogWarning(
                    "Projection {Projection} parked a child of council {Tenant}: its events (sequences {FirstSequence}–{LastSequence}, types {EventTypes}) do not fold: {ErrorType}. The child keeps its last rows; see `casepathway projections parked --tenant {Tenant}`.",
                    Name, tenant, stream.Min(x => x.Sequence), stream.Max(x => x.Sequence),
                    string.Join(",", stream.Select(x => x.Type).Distinct()), error[..error.IndexOf(':')], tenant);
                continue;
            }
            if (each[i].Rows is { } own)
                for (var t = 0; t < own.Length; t++) rows[t].AddRange(own[t]);
            if (each[i].Encoded is { } bytes)
                for (var t = 0; t < bytes.Length; t++) encoded[t].Add(bytes[t]);
            folded.Add((tenant, child));
        }
        return new FoldedChildren(rows, folded, parked) { Encoded = encode ? encoded : null };
    }

    // What parked_children keeps of a fold's failure: its type and message, bounded.
    private static string ParkReason(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }
}

/// <summary>A batch's folds: the rows per table (in <see cref="ChildProjection.Tables"/>' order), the children folded and those parked.</summary>
public sealed record FoldedChildren(
    IReadOnlyList<List<object?[]>> Rows,
    IReadOnlyList<(string Tenant, string Child)> Folded,
    IReadOnlyList<(string Tenant, string Child, string Error)> Parked)
{
    /// <summary>When folded for a copy, the rows per table in binary COPY form, a piece per child (<see cref="CopyRows"/>); <see cref="Rows"/> is then empty.</summary>
    public IReadOnlyList<List<byte[]>>? Encoded { get; init; }
}
