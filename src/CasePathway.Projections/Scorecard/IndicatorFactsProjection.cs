using CasePathway.Domain.Events;
using CasePathway.Domain.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Store;

namespace CasePathway.Projections.Scorecard;

/// <summary>
/// Keeps <c>indicator_facts</c>: every child touched by a batch has its facts rewritten from its whole
/// stream, like <see cref="PathwayProjection"/>, so a late recording or a retraction moves a figure to
/// exactly where a rebuild would put it.
/// </summary>
public sealed class IndicatorFactsProjection(TenantDirectory tenants) : ChildProjection
{
    public const string ProjectionName = "scorecard";

    public static readonly ChildTable IndicatorFactsTable = new("indicator_facts",
        ("tenant", "text"), ("child", "text"), ("indicator", "text"), ("event_id", "uuid"), ("month", "date"),
        ("occurred_on", "date"), ("episode", "text"), ("rule", "text"), ("in_numerator", "boolean"),
        ("in_denominator", "boolean"), ("value", "numeric"), ("route", "text"), ("source", "text"), ("team", "text"));

    public override string Name => ProjectionName;

    public override IReadOnlyList<ChildTable> Tables { get; } = [IndicatorFactsTable];

    protected override void Fold(string tenant, string child, IReadOnlyList<StoredEvent> stream, IReadOnlyList<PathwayEvent> events, IReadOnlyList<List<object?[]>> rows)
    {
        foreach (var f in IndicatorFacts.Of(events, tenants.For(tenant).Calendar))
            rows[0].Add([
                tenant, child, f.Indicator, f.EventId, f.Month.OnDayOfMonth(1), f.OccurredOn, f.Episode, f.Rule,
                f.InNumerator, f.InDenominator, f.Value, f.Route, f.Source, f.Team,
            ]);
    }
}
