using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Store.Pathways;

/// <summary>Where events come from, which decides what an absent recordedAt means and which rules apply.</summary>
public enum AppendSource
{
    /// <summary>A case system or person now (the HTTP API): no recordedAt means "received now"; nothing from the future.</summary>
    Live,

    /// <summary>History from a file (imports, the demo): no recordedAt means "known when it happened", marked inferred.</summary>
    Import,
}

/// <summary>What became of one submitted event.</summary>
public enum EventFate { Appended, AlreadyPresent, Rejected }

public sealed record EventOutcome(PathwayEvent Event, EventFate Fate, IReadOnlyList<FieldError> Problems);

/// <summary>A child's stream after the append: <see cref="Version"/> is what If-Match expects next time.</summary>
public sealed record StreamOutcome(string Tenant, string Child, long Version, int Appended, int AlreadyPresent);

/// <summary>
/// What an append did, event by event in the submitted order. When <see cref="Refused"/> (an all-or-nothing
/// append with a rejected event), nothing was stored.
/// </summary>
public sealed record AppendOutcome(IReadOnlyList<EventOutcome> Events, IReadOnlyList<StreamOutcome> Streams, bool Refused)
{
    /// <summary>What the store wrote (it has the last word: a writer racing with the same id makes it already present).</summary>
    public int Appended => Streams.Sum(s => s.Appended);

    /// <summary>Submitted events that were neither written nor rejected: their ids were stored with the same content.</summary>
    public int AlreadyPresent => Refused ? 0 : Events.Count - Appended - Rejected.Count();

    public IEnumerable<EventOutcome> Rejected => Events.Where(e => e.Fate == EventFate.Rejected);
}

/// <summary>
/// The one way in for every write — the HTTP API, every importer and the demo. Each event is decided
/// against its child's stream as stored (PathwayValidation's rules, by a PathwayCheck carried from one of the child's events to the next: required ids, retractions of known events, no
/// stop before its start, reasons for delay naming a clock and a code of the council; for live events nothing from the future), and the decision is appended under the
/// stream version it was made on: if another writer moved the stream meanwhile, the decision is made again
/// on what is now stored (or, under a caller's If-Match, refused as a conflict). So two writers cannot
/// together slip past a rule that each alone would have met.
/// </summary>
public sealed class PathwayAppender(IEventStore store, Func<string, TenantContext> tenantFor, IClock clock)
{
    /// <summary>An import's children are decided and committed this many at a time: memory stays bounded, and a crash loses at most the chunks in flight (a re-run appends only what is missing).</summary>
    public const int ImportChunkChildren = 500;

    /// <summary>How many of an import's chunks are decided and written at once.</summary>
    public const int ImportChunksInFlight = 2;

    /// <summary>
    /// Appends <paramref name="events"/>. <paramref name="allOrNothing"/>: any rejected event refuses the whole
    /// append (the API's batches); otherwise the rest are stored (imports: one bad row must not stop the others).
    /// Throws <see cref="ConcurrencyException"/> only under an exact <paramref name="expected"/> version, and
    /// <see cref="EventIdConflictException"/> for an id already stored with other content.
    /// </summary>
    public async Task<AppendOutcome> AppendAsync(
        IReadOnlyList<PathwayEvent> events, AppendSource source, bool allOrNothing,
        ExpectedVersion? expected = null, CancellationToken ct = default)
    {
        expected ??= ExpectedVersion.Any;
        if (allOrNothing) return await AppendChunkAsync(events, source, true, expected, ct);

        var outcomes = new EventOutcome[events.Count];
        var chunks = Enumerable.Range(0, events.Count).GroupBy(i => (events[i].Tenant, events[i].Child))
            .Chunk(ImportChunkChildren).Select(chunk => chunk.SelectMany(g => g).ToList()).ToList();
        var streams = new IReadOnlyList<StreamOutcome>[chunks.Count];
        // Two chunks at a time, on two connections: one is decided (CPU here) while the other is written (the
        // database's CPU and disk). Chunks hold disjoint children, so neither decision depends on the other.
        await Parallel.ForEachAsync(Enumerable.Range(0, chunks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ImportChunksInFlight, CancellationToken = ct },
            async (c, token) =>
            {
                var indexes = chunks[c];
                var result = await AppendChunkAsync(indexes.Select(i => events[i]).ToList(), source, false, expected, token);
                // Reported in the submitted order.
                for (var k = 0; k < indexes.Count; k++) outcomes[indexes[k]] = result.Events[k];
                streams[c] = result.Streams;
            });
        return new AppendOutcome(outcomes, streams.SelectMany(s => s).ToList(), false);
    }

    private async Task<AppendOutcome> AppendChunkAsync(
        IReadOnlyList<PathwayEvent> events, AppendSource source, bool allOrNothing, ExpectedVersion expected, CancellationToken ct)
    {
        var streams = events.Select(e => (e.Tenant, Stream: e.StreamOf())).Distinct().ToList();
        var ids = events.Select(e => (e.Tenant, e.Id)).Distinct().ToList();
        List<EventOutcome> outcomes = [];
        List<StreamAppend> appends = [];
        // The store reads the streams and the ids' receipts in one round trip, and calls this again on what is
        // then stored whenever another writer got in between.
        var result = await store.DecideAndAppendAsync(streams, ids, stored =>
        {
            outcomes = Decide(events, stored, source, clock.GetCurrentInstant());
            if (allOrNothing && outcomes.Any(o => o.Fate == EventFate.Rejected)) return appends = [];
            return appends = outcomes.Where(o => o.Fate != EventFate.Rejected)
                .GroupBy(o => (o.Event.Tenant, Stream: o.Event.StreamOf()))
                .Select(g => new StreamAppend(g.Key.Tenant, g.Key.Stream,
                    // Decided on this version: append only if the stream is still there.
                    expected is ExpectedVersion.AnyVersion ? ExpectedVersion.Exactly(VersionOf(stored[g.Key])) : expected,
                    g.Select(o => o.Event.ToNewEvent(inferRecordedAt: source == AppendSource.Import)).ToList()))
                .ToList();
        }, ct);
        if (allOrNothing && outcomes.Any(o => o.Fate == EventFate.Rejected)) return new AppendOutcome(outcomes, [], true);
        var streamOutcomes = appends.Select((a, i) => new StreamOutcome(a.Tenant, a.Stream, result.Streams[i].Version, result.Streams[i].Appended, result.Streams[i].AlreadyPresent)).ToList();
        return new AppendOutcome(outcomes, streamOutcomes, false);
    }

    private List<EventOutcome> Decide(
        IReadOnlyList<PathwayEvent> events,
        IReadOnlyDictionary<(string Tenant, string Stream), IReadOnlyList<StoredEvent>> stored,
        AppendSource source, Instant now)
    {
        // Each child's rules state, folded from its stored events (not checked again) and carried from one of its
        // incoming events to the next: checking an event does not rebuild the child's timeline (PathwayCheck).
        var checks = new Dictionary<(string Tenant, string Stream), PathwayCheck>(stored.Count);
        foreach (var (key, streamEvents) in stored)
        {
            var check = new PathwayCheck(tenantFor(key.Tenant));
            foreach (var storedEvent in streamEvents) check.Add(storedEvent.ToPathwayEvent());
            checks[key] = check;
        }
        var outcomes = new List<EventOutcome>(events.Count);
        foreach (var e in events)
        {
            var check = checks[(e.Tenant, e.StreamOf())];
            // Same id again: the store compares content (same → nothing stored, other → a conflict).
            if (check.Contains(e.Id))
            {
                outcomes.Add(new EventOutcome(e, EventFate.AlreadyPresent, []));
                continue;
            }
            // The door first (lengths, characters, dates inside the calendar, nothing from the future): the
            // pathway's rules fold the child's clocks, which an event outside the calendar would break.
            var problems = DoorLimits.Check(e, now);
            // Marten keeps the sequence numbers of failed appends in a stream of this name, in every council.
            if (e.Child == JasperFx.Events.Tombstone.StreamKey)
                problems = [.. problems, new FieldError("child", $"'{e.Child}' is reserved by the event store")];
            if (problems.Count == 0) problems = check.Check(e);
            if (problems.Count > 0)
            {
                outcomes.Add(new EventOutcome(e, EventFate.Rejected, problems));
                continue;
            }
            check.Add(e);
            outcomes.Add(new EventOutcome(e, EventFate.Appended, []));
        }
        return outcomes;
    }

    private static long VersionOf(IReadOnlyList<StoredEvent> stream) => stream.Count == 0 ? 0 : stream[^1].Version;
}
