using System.Text.Json.Serialization;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Scorecard;

/// <summary>A tenant's scorecard for a month (contract: <c>report scorecard</c>, <c>GET /api/scorecard</c>).</summary>
public sealed record ScorecardReport(string Tenant, string TenantName, YearMonth Month, IReadOnlyList<IndicatorResult> Indicators)
{
    public IndicatorResult? this[string id] => Indicators.FirstOrDefault(i => i.Id == id);
}

/// <summary>
/// One indicator's figure. <see cref="Numerator"/>, <see cref="Denominator"/> and <see cref="Value"/> are
/// the headline period's (the month, the year to date or 12 months, as <see cref="Period"/> says); counts
/// carry a value only, means the sum and the count. Missing configuration leaves a value empty.
/// </summary>
public sealed record IndicatorResult(
    string Id,
    string Title,
    decimal? Numerator,
    decimal? Denominator,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Value,
    decimal? Target,
    IndicatorKind Kind,
    IndicatorPeriod Period,
    string? Unit,
    string Definition,
    IndicatorFigure ThisMonth,
    IndicatorFigure YearToDate,
    IndicatorFigure Rolling12Months,
    Travel SincePreviousMonth,
    Travel SincePreviousYear,
    Benchmarks? Benchmarks);

/// <summary>Numerator, denominator and value over one span of months.</summary>
public sealed record IndicatorFigure(
    YearMonth From,
    YearMonth To,
    decimal? Numerator,
    decimal? Denominator,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Value);

/// <summary>
/// Direction of travel: the headline value a month (or a year) earlier, whether this one is up, down or
/// the same, and — for indicators where that means something — better or worse.
/// </summary>
public sealed record Travel(decimal? Previous, TravelDirection? Direction, TravelJudgement? Judgement);

/// <summary>One item behind a figure, for the drill-down to the children and clocks (never on the board).</summary>
public sealed record IndicatorItem(
    string Child,
    string Episode,
    string? Rule,
    string FactSet,
    LocalDate OccurredOn,
    bool InNumerator,
    bool InDenominator,
    decimal? Value,
    string? Route,
    string? Source,
    string? Team,
    Guid EventId);

/// <summary>A count of facts in one group (a dimension's value or a distribution's bucket).</summary>
public sealed record FactGroup(string? Key, long Numerator, long Denominator);
