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
/// What the previous nights left in the store for this council's SSD feed, read from the events
/// themselves (their <c>sourceSystem</c> and <c>sourceKey</c>), never from a side file: each row's slots with
/// their events and whether each still counts, and the ids earlier snapshots held (an assessment's referral
/// may be in last night's snapshot only).
/// </summary>
internal sealed class SsdPriorState
{
    /// <summary>Row (<c>table/key</c>) → its events, live and retracted.</summary>
    public Dictionary<string, List<PriorSlot>> Rows { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Referrals { get; } = new(StringComparer.Ordinal);
    public HashSet<string> S47s { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Plans { get; } = new(StringComparer.Ordinal);

    /// <summary>Looked-after period → its child (an SSD review names the period, not the child).</summary>
    public Dictionary<string, string> ClaChildren { get; } = new(StringComparer.Ordinal);

    public static async Task<SsdPriorState> LoadAsync(IEventStore store, string tenant, CancellationToken ct)
    {
        var state = new SsdPriorState();
        var children = new Dictionary<string, string>(StringComparer.Ordinal);
        var slots = new Dictionary<Guid, PriorSlot>();
        // A retraction can itself be retracted (the event comes back): liveness is decided once all are read.
        var retractions = new Dictionary<Guid, List<Guid>>();
        await foreach (var e in store.ReadSourceAsync(tenant, SsdImporter.SourceSystem, ct))
        {
            if (e.Data is EventRetracted r)
            {
                if (!retractions.TryGetValue(r.RetractedId, out var list)) retractions[r.RetractedId] = list = [];
                list.Add(e.Id);
                continue;
            }
            if (e.SourceSystem != SsdImporter.SourceSystem || e.SourceKey is not { } key) continue;
            var last = key.LastIndexOf('/');
            if (last <= 0) continue;
            if (!children.TryGetValue(e.Child, out var child)) children[e.Child] = child = e.Child;
            var slot = new PriorSlot(string.Intern(key[(last + 1)..]), e.Id, child);
            slots[e.Id] = slot;
            var row = key[..last];
            if (!state.Rows.TryGetValue(row, out var rowSlots)) state.Rows[row] = rowSlots = new List<PriorSlot>(2);
            rowSlots.Add(slot);
            switch (e.Data)
            {
                case ReferralReceived x: state.Referrals.Add(x.ReferralId); break;
                case Section47Started x: state.S47s.Add(x.S47Id); break;
                case InitialChildProtectionConferenceHeld { PlanId: { } plan }: state.Plans.Add(plan); break;
                case ChildProtectionPlanEnded x: state.Plans.Add(x.PlanId); break;
                case BecameLookedAfter x: state.ClaChildren[x.PeriodId] = child; break;
            }
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
