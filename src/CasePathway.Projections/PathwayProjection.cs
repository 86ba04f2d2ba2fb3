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
        await DeleteChildrenAsync(connection, children, ct);
        await CopyVersionsAsync(connection, versions, ct);
        await CopyTimelineAsync(connection, timeline, ct);
    }

    public async Task ResetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("truncate clock_versions, child_timeline", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task DeleteChildrenAsync(NpgsqlConnection connection, IReadOnlyList<(string Tenant, string Stream)> children, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            with c as (select * from unnest($1::text[], $2::text[]) as c(tenant, child))
            , v as (delete from clock_versions v using c where v.tenant = c.tenant and v.child = c.child)
            delete from child_timeline t using c where t.tenant = c.tenant and t.child = c.child
            """, connection);
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Tenant).ToArray() });
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Stream).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyVersionsAsync(NpgsqlConnection connection, IReadOnlyList<ClockVersion> versions, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            copy clock_versions (tenant, child, rule, episode, known_from, known_to, rule_title, unit, team, worker,
                started_at, started_on, due_on, due_local, due_at, overdue_from, stopped_at, stopped_on, cancelled_on,
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
            await WriteNullableAsync(copy, v.KnownTo is { } to ? NpgsqlTime.ToTimestamptz(to) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(v.RuleTitle, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Unit.Name(), NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, v.Team, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, v.Worker, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.Started.Instant is { } s ? NpgsqlTime.ToTimestamptz(s) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(c.Started.Date), NpgsqlDbType.Date, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(c.Due.Date), NpgsqlDbType.Date, ct);
            await WriteNullableAsync(copy, c.Due.LocalDateTime is { } dl ? NpgsqlTime.ToTimestamp(dl) : (DateTime?)null, NpgsqlDbType.Timestamp, ct);
            await WriteNullableAsync(copy, c.Due.Instant is { } da ? NpgsqlTime.ToTimestamptz(da) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(c.OverdueFrom), NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, c.Stopped?.Instant is { } st ? NpgsqlTime.ToTimestamptz(st) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, c.Stopped is { } so ? NpgsqlTime.ToDate(so.Date) : (DateOnly?)null, NpgsqlDbType.Date, ct);
            await WriteNullableAsync(copy, c.Cancelled is { } ca ? NpgsqlTime.ToDate(ca.Date) : (DateOnly?)null, NpgsqlDbType.Date, ct);
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
            await WriteNullableAsync(copy, e.OccurredAt.Instant is { } oi ? NpgsqlTime.ToTimestamptz(oi) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(NpgsqlTime.ToDate(e.OccurredAt.Date), NpgsqlDbType.Date, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(e.RecordedAt), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(e.RecordedAtInferred, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(NpgsqlTime.ToTimestamptz(e.StoredAt), NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, e.RecordedBy, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, e.SourceSystem, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Retracted, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(row.LateWorkingDays, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(copy, row.Team, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, row.Worker, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct
    {
        if (value is { } v) await copy.WriteAsync(v, type, ct);
        else await copy.WriteNullAsync(ct);
    }
}
