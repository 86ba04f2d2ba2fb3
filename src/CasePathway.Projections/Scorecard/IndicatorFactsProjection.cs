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
        await ChildRows.DeleteAsync(connection, "indicator_facts", children, ct);
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
                await copy.WriteNullableAsync(f.Rule, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(f.InNumerator, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(f.InDenominator, NpgsqlDbType.Boolean, ct);
                await copy.WriteNullableAsync(f.Value, NpgsqlDbType.Numeric, ct);
                await copy.WriteNullableAsync(f.Route, NpgsqlDbType.Text, ct);
                await copy.WriteNullableAsync(f.Source, NpgsqlDbType.Text, ct);
                await copy.WriteNullableAsync(f.Team, NpgsqlDbType.Text, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    public async Task ResetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("truncate indicator_facts", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
