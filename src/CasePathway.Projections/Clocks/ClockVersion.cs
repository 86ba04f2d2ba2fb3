using CasePathway.Domain.Clocks;
using NodaTime;

namespace CasePathway.Projections.Clocks;

/// <summary>
/// One clock as the authority knew it from <see cref="KnownFrom"/> until <see cref="KnownTo"/> (null:
/// still the current knowledge). The clock's status is not stored: it is evaluated at whatever instant
/// a reader asks about, from the clock's inputs.
/// </summary>
public sealed record ClockVersion(
    string Tenant,
    string Child,
    Clock Clock,
    string RuleTitle,
    string? Team,
    string? Worker,
    Instant KnownFrom,
    Instant? KnownTo)
{
    /// <summary>
    /// The explanation worth storing: for a clock still open only how its due date was counted, since
    /// "still open at …: running" would be stale by the time anyone reads it; readers add the status
    /// at their own instant.
    /// </summary>
    public string Explanation => Clock.IsOpen && !Clock.NotMeasurable ? Clock.DueExplanation : Clock.Explanation;

    /// <summary>True when the two describe the same clock with the same inputs (knowledge interval aside).</summary>
    public bool SameInputs(ClockVersion other) =>
        Clock.Rule == other.Clock.Rule && Clock.Episode == other.Clock.Episode && Clock.Limit == other.Clock.Limit
        && Clock.Started == other.Clock.Started && Clock.Due == other.Clock.Due && Clock.Stopped == other.Clock.Stopped
        && Clock.Cancelled == other.Clock.Cancelled && Clock.NotMeasurable == other.Clock.NotMeasurable
        && Explanation == other.Explanation && Team == other.Team && Worker == other.Worker;
}
