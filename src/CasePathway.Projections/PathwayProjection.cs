using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Timeline;
using CasePathway.Store;

namespace CasePathway.Projections;

/// <summary>Keeps the clock versions, the child timelines and the reasons for delay.</summary>
public sealed class PathwayProjection(TenantDirectory tenants) : ChildProjection
{
    public const string ProjectionName = "pathways";

    public static readonly ChildTable ClockVersions = new("clock_versions",
        ("tenant", "text"), ("child", "text"), ("rule", "text"), ("episode", "text"), ("known_from", "timestamptz"),
        ("known_to", "timestamptz"), ("rule_title", "text"), ("unit", "text"), ("team", "text"), ("worker", "text"),
        ("started_at", "timestamptz"), ("started_on", "date"), ("due_on", "date"), ("due_local", "timestamp"),
        ("due_at", "timestamptz"), ("overdue_from", "timestamptz"), ("stopped_at", "timestamptz"), ("stopped_on", "date"),
        ("cancelled_at", "timestamptz"), ("cancelled_on", "date"), ("not_measurable", "boolean"), ("explanation", "text"));

    public static readonly ChildTable ChildTimeline = new("child_timeline",
        ("tenant", "text"), ("child", "text"), ("seq", "bigint"), ("event_id", "uuid"), ("type", "text"),
        ("occurred_at", "timestamptz"), ("occurred_on", "date"), ("recorded_at", "timestamptz"),
        ("recorded_inferred", "boolean"), ("stored_at", "timestamptz"), ("recorded_by", "text"), ("source_system", "text"),
        ("retracted", "boolean"), ("late_working_days", "integer"), ("team", "text"), ("worker", "text"));

    public static readonly ChildTable BreachReasonVersions = new("breach_reasons",
        ("tenant", "text"), ("child", "text"), ("rule", "text"), ("episode", "text"), ("known_from", "timestamptz"),
        ("known_to", "timestamptz"), ("event_id", "uuid"), ("reason", "text"), ("note", "text"), ("recorded_by", "text"),
        ("recorded_at", "timestamptz"));

    public override string Name => ProjectionName;

    public override IReadOnlyList<ChildTable> Tables { get; } = [ClockVersions, ChildTimeline, BreachReasonVersions];

    protected override void Fold(string tenant, string child, IReadOnlyList<StoredEvent> stream, IReadOnlyList<PathwayEvent> events, IReadOnlyList<List<object?[]>> rows)
    {
        var context = tenants.For(tenant);
        foreach (var v in ClockHistory.Of(tenant, child, events, context))
        {
            var c = v.Clock;
            rows[0].Add([
                v.Tenant, v.Child, c.Rule, c.Episode, v.KnownFrom, v.KnownTo, v.RuleTitle, c.Unit.Name(), v.Team, v.Worker,
                c.Started.Instant, c.Started.Date, c.Due.Date, c.Due.LocalDateTime, c.Due.Instant, c.OverdueFrom,
                c.Stopped?.Instant, c.Stopped?.Date, c.Cancelled?.Instant, c.Cancelled?.Date, c.NotMeasurable, v.StoredExplanation,
            ]);
        }
        foreach (var row in TimelineRow.Of(stream, events, context))
        {
            var e = row.Event;
            rows[1].Add([
                tenant, child, e.Sequence, e.Id, e.Type, e.OccurredAt.Instant, e.OccurredAt.Date, e.RecordedAt,
                e.RecordedAtInferred, e.StoredAt, e.RecordedBy, e.SourceSystem, row.Retracted, row.LateWorkingDays, row.Team, row.Worker,
            ]);
        }
        foreach (var v in BreachReasons.History(events))
        {
            var r = v.Reason;
            rows[2].Add([tenant, child, r.Rule, r.Episode, v.KnownFrom, v.KnownTo, r.EventId, r.Code, r.Note, r.RecordedBy, r.RecordedAt]);
        }
    }
}
