using CasePathway.Projections.Runner;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Projections.Scorecard;

/// <summary>
/// Keeps <c>indicator_facts</c>: every child touched by a batch has its facts rewritten from its whole
/// stream, like <see cref="PathwayProjection"/>, so a late recording or a retraction moves a figure to
/// exactly where a rebuild would put it.
/// </summary>
public sealed class IndicatorFactsProjection(IEventStore store, TenantDirectory tenants) : IProjection
{
    public const string ProjectionName = "scorecard";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> batch, long upTo, CancellationToken ct)
    {
        var children = batch.Select(e => (e.Tenant, e.Stream)).Distinct().ToList();
        var streams = await store.ReadStreamsAsync(children, upTo, ct);
        await DeleteChildrenAsync(connection, children, ct);
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            copy indicator_facts (tenant, child, indicator, event_id, month, occurred_on, episode, rule,
                in_numerator, in_denominator, value, route, source, team) from stdin (format binary)
            """, ct);
        foreach (var ((tenant, child), stream) in streams)
        {
            var events = stream.Select(e => e.ToPathwayEvent()).ToList();
            foreach (var f in IndicatorFacts.Of(events, tenants.For(tenant).Calendar))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(tenant, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(child, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(f.Indicator, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(f.EventId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(NpgsqlTime.ToDate(f.Month.OnDayOfMonth(1)), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(NpgsqlTime.ToDate(f.OccurredOn), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.Episode, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, f.Rule, ct);
                await copy.WriteAsync(f.InNumerator, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(f.InDenominator, NpgsqlDbType.Boolean, ct);
                if (f.Value is { } v) await copy.WriteAsync(v, NpgsqlDbType.Numeric, ct);
                else await copy.WriteNullAsync(ct);
                await WriteAsync(copy, f.Route, ct);
                await WriteAsync(copy, f.Source, ct);
                await WriteAsync(copy, f.Team, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    public async Task ResetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("truncate indicator_facts", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task DeleteChildrenAsync(NpgsqlConnection connection, IReadOnlyList<(string Tenant, string Stream)> children, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            delete from indicator_facts f using unnest($1::text[], $2::text[]) as c(tenant, child)
            where f.tenant = c.tenant and f.child = c.child
            """, connection);
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Tenant).ToArray() });
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Stream).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }
}
