using CasePathway.Domain.Events;
using CasePathway.Store;

namespace CasePathway.Import.Ssd;

/// <summary>One event the store holds for one slot (table, key, field) of an SSD row.</summary>
internal sealed class PriorSlot(string slot, Guid id, string child)
{
    public string Slot { get; } = slot;
    public Guid Id { get; } = id;
    public string Child { get; } = child;

    /// <summary>Retractions of this event that still count; empty when the event is live.</summary>
    public List<Guid> LiveRetractions { get; } = [];

    public bool Live => LiveRetractions.Count == 0;
}

/// <summary>
/// What the previous nights left in the store for some rows of this council's SSD feed, read from the events
/// themselves (their <c>sourceSystem</c> and <c>sourceKey</c>), never from a side file: each row's slots with
/// their events and whether each still counts. Built for one chunk of rows at a time
/// (<see cref="ISourceImportRun.ReadRowsAsync"/>), so memory follows the chunk, not the council's history.
/// </summary>
internal sealed class SsdPriorState
{
    /// <summary>Row (<c>table/key</c>) → its events, live and retracted.</summary>
    public Dictionary<string, List<PriorSlot>> Rows { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<PriorSlot> Of(string row) => Rows.GetValueOrDefault(row) ?? (IReadOnlyList<PriorSlot>)[];

    public static async Task<SsdPriorState> ReadAsync(ISourceImportRun run, IReadOnlyCollection<string> rows, CancellationToken ct) =>
        From(await run.ReadRowsAsync(rows, ct));

    public static SsdPriorState From(IEnumerable<SourceRowEvent> events)
    {
        var state = new SsdPriorState();
        var slots = new Dictionary<Guid, PriorSlot>();
        // A retraction can itself be retracted (the event comes back): liveness is decided once all are read.
        var retractions = new Dictionary<Guid, List<Guid>>();
        foreach (var e in events)
        {
            if (e.Retracts is { } retracted)
            {
                if (!retractions.TryGetValue(retracted, out var list)) retractions[retracted] = list = [];
                list.Add(e.Id);
                continue;
            }
            if (e.SourceSystem != SsdImporter.SourceSystem || e.SourceKey is not { } key) continue;
            var last = key.LastIndexOf('/');
            if (last <= 0) continue;
            var slot = new PriorSlot(string.Intern(key[(last + 1)..]), e.Id, e.Child);
            slots[e.Id] = slot;
            var row = key[..last];
            if (!state.Rows.TryGetValue(row, out var rowSlots)) state.Rows[row] = rowSlots = new List<PriorSlot>(2);
            rowSlots.Add(slot);
        }
        var memo = new Dictionary<Guid, bool>();
        bool Counts(Guid retraction, int depth) =>
            memo.TryGetValue(retraction, out var live) ? live
            : memo[retraction] = depth > 64 || !(retractions.TryGetValue(retraction, out var of) && of.Any(x => Counts(x, depth + 1)));
        foreach (var (target, by) in retractions)
            if (slots.TryGetValue(target, out var slot))
                slot.LiveRetractions.AddRange(by.Where(x => Counts(x, 0)));
        return state;
    }
}
