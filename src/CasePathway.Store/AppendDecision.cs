namespace CasePathway.Store;

/// <summary>What an append to one stream will store, decided from what the database holds (no I/O here).</summary>
internal sealed record StreamPlan(string Tenant, string Stream, long VersionBefore, IReadOnlyList<int> NewEventIndexes, int AlreadyPresent)
{
    public long VersionAfter => VersionBefore + NewEventIndexes.Count;
}

internal static class AppendDecision
{
    /// <summary>
    /// Splits a stream's submitted events into new ones and ones already stored with the same content, then
    /// checks the expected version — only when something new is to be written, so that a retry of a batch
    /// already fully stored succeeds after the stream has moved on. Throws before anything is written.
    /// </summary>
    /// <param name="stored">Content hashes of the submitted ids already in the database.</param>
    /// <param name="plannedEarlier">Ids (and hashes) planned earlier in the same transaction; this stream's new ones are added.</param>
    public static StreamPlan Decide(
        string tenant, string stream, ExpectedVersion expected, long current,
        IReadOnlyList<NewEvent> events, IReadOnlyList<byte[]> hashes,
        IReadOnlyDictionary<(string Tenant, Guid Id), byte[]> stored, Dictionary<(string Tenant, Guid Id), byte[]> plannedEarlier)
    {
        var fresh = new List<int>(events.Count);
        var alreadyPresent = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var id = events[i].Id;
            // Ids are scoped to their council: another council's event with this id is no concern here.
            if (stored.TryGetValue((tenant, id), out var storedHash) || plannedEarlier.TryGetValue((tenant, id), out storedHash))
            {
                if (!storedHash.AsSpan().SequenceEqual(hashes[i])) throw new EventIdConflictException(id);
                alreadyPresent++;
                continue;
            }
            fresh.Add(i);
            plannedEarlier[(tenant, id)] = hashes[i];
        }

        if (fresh.Count > 0 && !Matches(expected, current))
            throw new ConcurrencyException(tenant, stream, expected, current);
        return new StreamPlan(tenant, stream, current, fresh, alreadyPresent);
    }

    private static bool Matches(ExpectedVersion expected, long current) => expected switch
    {
        ExpectedVersion.AnyVersion => true,
        ExpectedVersion.NoStreamVersion => current == 0,
        ExpectedVersion.ExactVersion exact => current == exact.Version,
        _ => throw new ArgumentOutOfRangeException(nameof(expected), expected, "Unknown expected version."),
    };
}
