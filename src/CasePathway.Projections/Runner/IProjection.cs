using CasePathway.Store;
using Npgsql;

namespace CasePathway.Projections.Runner;

/// <summary>
/// A read model kept from the event log. The runner hands it batches in global order inside the
/// transaction that also moves its checkpoint, so a crash replays a batch and never skips or doubles it.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: the checkpoint's key and the advisory lock's seed.</summary>
    string Name { get; }

    Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> batch, long upTo, CancellationToken ct);

    /// <summary>Empties the read model for a rebuild (inside the rebuild's transaction).</summary>
    Task ResetAsync(NpgsqlConnection connection, CancellationToken ct);
}
