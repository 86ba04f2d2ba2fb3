using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Store;

/// <summary>
/// The narrow event store interface (docs/decisions: shaped after Marten's so that a move to Marten is a
/// new adapter). A stream is one child of one tenant. The store knows nothing of clocks.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends to one stream, all or nothing. Throws <see cref="ConcurrencyException"/> when the stream is
    /// not at <paramref name="expected"/> and <see cref="EventIdConflictException"/> when an event id is
    /// already stored with different content. Events whose id is already stored with the same content
    /// are accepted and not stored again.
    /// </summary>
    Task<AppendResult> AppendAsync(string tenant, string stream, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken ct = default);

    /// <summary>Appends to many streams in one transaction, with the same guarantees.</summary>
    Task<BulkAppendResult> BulkAppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default);

    /// <summary>
    /// The one way in's append: reads the <paramref name="streams"/>' events (and what is stored under the submitted
    /// <paramref name="ids"/>) in one round trip, lets <paramref name="decide"/> choose what to append, and appends it
    /// under the versions read, with the guarantees of <see cref="BulkAppendAsync"/>. When another writer moved a
    /// stream (or stored one of the ids) in between, it reads and calls <paramref name="decide"/> again.
    /// </summary>
    Task<BulkAppendResult> DecideAndAppendAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, IReadOnlyCollection<(string Tenant, Guid Id)> ids,
        Func<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>, IReadOnlyList<StreamAppend>> decide,
        CancellationToken ct = default);

    /// <summary>A stream in version order; optionally only up to a version, or only what was recorded by an instant.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string tenant, string stream, StreamReadOptions? options = null, CancellationToken ct = default);

    /// <summary>
    /// Many streams at once, each in version order, only events with sequence ≤ <paramref name="upTo"/>:
    /// what a projection refolds for the children a batch touched.
    /// </summary>
    Task<IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>>> ReadStreamsAsync(
        IReadOnlyCollection<(string Tenant, string Stream)> streams, long upTo, CancellationToken ct = default);

    /// <summary>
    /// Every event of a tenant that <paramref name="sourceSystem"/> sent, and every retraction in the tenant
    /// (whoever sent it), in the order stored: what a nightly snapshot import compares the new snapshot with.
    /// </summary>
    IAsyncEnumerable<SourcedEvent> ReadSourceAsync(string tenant, string sourceSystem, CancellationToken ct = default);

    /// <summary>
    /// Starts a snapshot import of <paramref name="sourceSystem"/> for <paramref name="tenant"/>: one run per council
    /// and source at a time (a second is refused with <see cref="ImportRunningException"/> until the first ends), and
    /// what the run compares with the store, looked up a chunk of rows at a time.
    /// </summary>
    Task<ISourceImportRun> StartSourceImportAsync(string tenant, string sourceSystem, CancellationToken ct = default);
}

/// <summary>
/// One snapshot import of a source for a council, holding its lock until disposed. Source keys are
/// <c>row/field</c>, a row being <c>table/key</c> (no '/' in a table or key). Nothing here grows with the
/// council's history: the rows of this snapshot are staged in the database, and what the store holds is read
/// for the rows asked about only.
/// </summary>
public interface ISourceImportRun : IAsyncDisposable
{
    /// <summary>
    /// The source's events for these rows (source key <c>row/…</c>), and every retraction of them, and of those
    /// retractions, whoever sent it.
    /// </summary>
    Task<IReadOnlyList<SourceRowEvent>> ReadRowsAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default);

    /// <summary>Which of these source keys the source has an event for (live or retracted).</summary>
    Task<IReadOnlySet<string>> StoredKeysAsync(IReadOnlyCollection<string> sourceKeys, CancellationToken ct = default);

    /// <summary>
    /// For each of <paramref name="values"/>, the child of a source event of <paramref name="type"/> under
    /// <paramref name="table"/> whose data field <paramref name="field"/> holds it (live or retracted).
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ChildrenByDataAsync(string table, string type, string field, IReadOnlyCollection<string> values, CancellationToken ct = default);

    /// <summary>Notes these rows as in this snapshot and tracks them for later nights; returns those already noted (a key on two rows of a table).</summary>
    Task<IReadOnlySet<string>> NoteInSnapshotAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default);

    /// <summary>Which of these rows are noted as in this snapshot.</summary>
    Task<IReadOnlySet<string>> InSnapshotAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="limit"/> rows of <paramref name="table"/> that the source tracks (every row a night saw,
    /// until <see cref="ForgetRowsAsync"/>) and this snapshot lacks, in key order after <paramref name="afterKey"/>;
    /// the key to continue from, or null after the last page.
    /// </summary>
    Task<(IReadOnlyList<string> Rows, string? LastKey)> NotInSnapshotAsync(string table, string? afterKey, int limit, CancellationToken ct = default);

    /// <summary>
    /// Stops tracking these rows (not in this snapshot, nothing of them live): later nights no longer look at them
    /// until a snapshot holds them again.
    /// </summary>
    Task ForgetRowsAsync(IReadOnlyCollection<string> rows, CancellationToken ct = default);

    /// <summary>Whether the source has any event under <paramref name="table"/>.</summary>
    Task<bool> HoldsAsync(string table, CancellationToken ct = default);

    /// <summary>
    /// Sets events aside in the run's session (opaque payloads, each with its child and its order among the child's),
    /// so that a child's events from every table of a snapshot can be appended together at the end.
    /// </summary>
    Task StageAsync(IReadOnlyList<StagedEvent> events, CancellationToken ct = default);

    /// <summary>
    /// Everything staged, child by child and in order within each child, up to <paramref name="pageEvents"/> at a
    /// time. A page holds whole children unless one child alone has more. The run's connection reads them until the
    /// enumeration ends: nothing else of the run is called meanwhile.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<StagedEvent>> ReadStagedAsync(int pageEvents, CancellationToken ct = default);
}

/// <summary>An event set aside by a source import: its child, its order among the child's, and what the import needs back.</summary>
public sealed record StagedEvent(string Child, long Order, byte[] Payload);

/// <summary>Another import of the same source for the same council is running.</summary>
public sealed class ImportRunningException(string tenant, string sourceSystem)
    : Exception($"Another {sourceSystem} import for council {tenant} is running: this one was refused so that the two do not interleave. Run it again once that one has finished.")
{
    public string Tenant { get; } = tenant;
    public string SourceSystem { get; } = sourceSystem;
}

/// <summary>An event as a source's import needs it: its id, child, envelope source fields and data.</summary>
public sealed record SourcedEvent(Guid Id, string Child, string? SourceSystem, string? SourceKey, IPathwayEventData Data);

/// <summary>
/// What a snapshot import compares a row with, for one stored event: its id, child, envelope source fields and, for a
/// retraction, the id it retracts. No event data: a night reads every row's events, and the comparison needs none of it.
/// </summary>
public sealed record SourceRowEvent(Guid Id, string Child, string? SourceSystem, string? SourceKey, Guid? Retracts);

/// <summary>What a caller expects of a stream's version before appending.</summary>
public abstract record ExpectedVersion
{
    private ExpectedVersion() { }

    public static readonly ExpectedVersion Any = new AnyVersion();
    public static readonly ExpectedVersion NoStream = new NoStreamVersion();
    public static ExpectedVersion Exactly(long version) => new ExactVersion(version);

    public sealed record AnyVersion : ExpectedVersion { public override string ToString() => "any"; }
    public sealed record NoStreamVersion : ExpectedVersion { public override string ToString() => "no stream"; }
    public sealed record ExactVersion(long Version) : ExpectedVersion { public override string ToString() => Version.ToString(); }
}

/// <summary>
/// An event as submitted. <see cref="RecordedAt"/> null means "the store's receipt time" for live
/// appends; importers pass the occurrence with <see cref="RecordedAtInferred"/> set.
/// </summary>
public sealed record NewEvent(
    Guid Id,
    IPathwayEventData Data,
    Occurrence OccurredAt,
    Instant? RecordedAt = null,
    bool RecordedAtInferred = false,
    string? RecordedBy = null,
    string? SourceSystem = null,
    string? SourceKey = null,
    string? CorrelationId = null)
{
    public string Type => EventTypes.NameOf(Data);

    /// <summary>The data in the contract's canonical JSON (what idempotency compares).</summary>
    public string DataJson => EventJson.CanonicalData(Data);
}

public sealed record StoredEvent(
    long Sequence,
    string Tenant,
    string Stream,
    long Version,
    Guid Id,
    string Type,
    IPathwayEventData Data,
    Occurrence OccurredAt,
    Instant RecordedAt,
    bool RecordedAtInferred,
    Instant StoredAt,
    string? RecordedBy,
    string? SourceSystem,
    string? SourceKey,
    string? CorrelationId)
{
    /// <summary>The data in the contract's canonical JSON.</summary>
    public string DataJson => EventJson.CanonicalData(Data);
}

public sealed record StreamAppend(string Tenant, string Stream, ExpectedVersion Expected, IReadOnlyList<NewEvent> Events);

public sealed record StreamReadOptions(long? ToVersion = null, Instant? RecordedBy = null);

/// <summary>The stream's version after the append, how many events were new and how many were already stored.</summary>
public sealed record AppendResult(long Version, int Appended, int AlreadyPresent);

public sealed record BulkAppendResult(int Appended, int AlreadyPresent, IReadOnlyList<AppendResult> Streams);

public sealed class ConcurrencyException(string tenant, string stream, ExpectedVersion expected, long actual)
    : Exception($"Stream {tenant}/{stream} is at version {actual}, not the expected {expected}.")
{
    public string Tenant { get; } = tenant;
    public string Stream { get; } = stream;
    public ExpectedVersion Expected { get; } = expected;
    public long Actual { get; } = actual;
}

public sealed class EventIdConflictException(Guid eventId)
    : Exception($"Event {eventId} is already stored with different content.")
{
    public Guid EventId { get; } = eventId;
}
