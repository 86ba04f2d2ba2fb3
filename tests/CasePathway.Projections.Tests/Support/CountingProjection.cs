using CasePathway.Projections.Runner;
using CasePathway.Store;
using Npgsql;

namespace CasePathway.Projections.Tests.Support;

/// <summary>
/// The pathway projection plus a ledger: every event it is handed is inserted into <c>applied_events</c>
/// in the same transaction, with the runner's label. A lost event is a missing row; a double, two rows.
/// </summary>
internal sealed class CountingProjection(IProjection inner, string runner) : IProjection
{
    public const string CreateLedger = "create table if not exists applied_events (seq bigint not null, runner text not null)";

    public string Name => inner.Name;

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> batch, long upTo, CancellationToken ct)
    {
        await inner.ApplyAsync(connection, batch, upTo, ct);
        await using var cmd = new NpgsqlCommand("insert into applied_events select unnest($1::bigint[]), $2", connection);
        cmd.Parameters.Add(new() { Value = batch.Select(e => e.Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = runner });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task ResetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await inner.ResetAsync(connection, ct);
        await using var cmd = new NpgsqlCommand("truncate applied_events", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
