using CasePathway.Domain.Rules;
using CasePathway.Projections.Clocks;
using CasePathway.Projections.Runner;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Timeline;
using CasePathway.Store;
using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Projections;

/// <summary>
/// Keeps the clock versions and the child timelines. Every child touched by a batch is refolded whole
/// from its stream (a few dozen events), so late-recorded and retracted events are handled by the same
/// pure code as everything else, and a rebuild gives exactly what live processing gives.
/// </summary>
public sealed class PathwayProjection(IEventStore store, TenantDirectory tenants) : IProjection
{
    public const string ProjectionName = "pathways";

    public string Name => ProjectionName;

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> batch, long upTo, CancellationToken ct)
    {
        var children = batch.Select(e => (e.Tenant, e.Stream)).Distinct().ToList();
        var streams = await store.ReadStreamsAsync(children, upTo, ct);
        var versions = new List<ClockVersion>();
        var timeline = new List<(string Tenant, string Child, TimelineRow Row)>();
        foreach (var ((tenant, child), stream) in streams)
        {
            var context = tenants.For(tenant);
            var events = stream.Select(e => e.ToPathwayEvent()).ToList();
            versions.AddRange(ClockHistory.Of(tenant, child, events, context));
            timeline.AddRange(TimelineRow.Of(stream, events, context).Select(r => (tenant, child, r)));
        }
        await ChildRows.DeleteAsync(connection, "clock_versions", children, ct);
        await ChildRows.DeleteAsync(connection, "child_timeline", children, ct);
        await CopyVersionsAsync(connection, versions, ct);
        await CopyTimelineAsync(connection, timeline, ct);
    }

    public async Task ResetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("truncate clock_versions, child_timeline", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyVersionsAsync(NpgsqlConnection connection, IReadOnlyList<ClockVersion> versions, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            copy clock_versions (tenant, child, rule, episode, known_from, known_to, rule_title, unit, team, worker,
                started_at, started_on, due_on, due_local, due_at, overdue_from, stopped_at, stopped_on, cancelled_at, cancelled_on,
                not_measurable, explanation) from stdin (format binary)
            """, ct);
        foreach (var v in versions)
        {
            var c = v.Clock;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(v.Tenant, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(v.Child, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Rule, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Episode, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(v.KnownFrom), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullableAsync(v.KnownTo is { } to ? NpgsqlTime.ToTimestamptz(to) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(v.RuleTitle, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Unit.Name(), NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(v.Team, NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(v.Worker, NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(c.Started.Instant is { } s ? NpgsqlTime.ToTimestamptz(s) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(c.Started.Date), NpgsqlDbType.Date, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(c.Due.Date), NpgsqlDbType.Date, ct);
            await copy.WriteNullableAsync(c.Due.LocalDateTime is { } dl ? NpgsqlTime.ToTimestamp(dl) : (DateTime?)null, NpgsqlDbType.Timestamp, ct);
            await copy.WriteNullableAsync(c.Due.Instant is { } da ? NpgsqlTime.ToTimestamptz(da) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(c.OverdueFrom), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullableAsync(c.Stopped?.Instant is { } st ? NpgsqlTime.ToTimestamptz(st) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullableAsync(c.Stopped is { } so ? NpgsqlTime.ToDate(so.Date) : (DateOnly?)null, NpgsqlDbType.Date, ct);
            await copy.WriteNullableAsync(c.Cancelled?.Instant is { } ci ? NpgsqlTime.ToTimestamptz(ci) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullableAsync(c.Cancelled is { } ca ? NpgsqlTime.ToDate(ca.Date) : (DateOnly?)null, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(c.NotMeasurable, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(v.StoredExplanation, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task CopyTimelineAsync(NpgsqlConnection connection, IReadOnlyList<(string Tenant, string Child, TimelineRow Row)> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            copy child_timeline (tenant, child, seq, event_id, type, occurred_at, occurred_on, recorded_at,
                recorded_inferred, stored_at, recorded_by, source_system, retracted, late_working_days, team, worker)
            from stdin (format binary)
            """, ct);
        foreach (var (tenant, child, row) in rows)
        {
            var e = row.Event;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(tenant, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(child, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(e.OccurredAt.Instant is { } oi ? NpgsqlTime.ToTimestamptz(oi) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(e.OccurredAt.Date), NpgsqlDbType.Date, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(e.RecordedAt), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(e.RecordedAtInferred, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(e.StoredAt), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullableAsync(e.RecordedBy, NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(e.SourceSystem, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Retracted, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(row.LateWorkingDays, NpgsqlDbType.Integer, ct);
            await copy.WriteNullableAsync(row.Team, NpgsqlDbType.Text, ct);
            await copy.WriteNullableAsync(row.Worker, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

}
