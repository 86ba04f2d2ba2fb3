using NodaTime;

namespace CasePathway.Domain.Scorecard;

/// <summary>
/// One item an indicator counts: the measured event (its id and London date), the child and episode behind
/// it, the clock it is measured like (for the drill-down), and whether it is in the numerator and the
/// denominator. <see cref="Value"/> is the amount measured — working days or elapsed hours — used by means
/// and distributions. Dimensions: the contact's route and source, and the team holding the case then.
/// </summary>
public sealed record IndicatorFact(
    string Indicator,
    Guid EventId,
    LocalDate OccurredOn,
    string Episode,
    string? Rule,
    bool InNumerator,
    bool InDenominator,
    decimal? Value = null,
    string? Route = null,
    string? Source = null,
    string? Team = null)
{
    public YearMonth Month => OccurredOn.ToYearMonth();
}
