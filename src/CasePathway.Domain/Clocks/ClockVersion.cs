using NodaTime;

namespace CasePathway.Domain.Clocks;

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
    /// The explanation to store. An open clock's full explanation ends "still open at &lt;evaluation
    /// instant&gt;: running/breached", true only at that instant; stored, it would be wrong when read
    /// later, and it would make every recording of the child look like a change of every open clock. So
    /// an open clock keeps how its due date was counted; a stopped, cancelled or not-measurable clock's
    /// explanation does not depend on the instant and is kept whole.
    /// </summary>
    public string StoredExplanation =>
        Clock.Status is ClockStatus.Running or ClockStatus.Breached ? Clock.DueExplanation : Clock.Explanation;

    /// <summary>
    /// True when the two describe the same clock with the same inputs (knowledge interval aside). The stored
    /// explanation is not compared as text: it is built from the calendar and exactly these inputs (start and
    /// limit for how the due date was counted; the stop, cancel or not-measurable reason for a closed clock's
    /// outcome), so equal inputs mean an equal explanation, and <see cref="ClockHistory"/> can compare versions
    /// before it builds any text.
    /// </summary>
    public bool SameInputs(ClockVersion other) => SameInputs(other.Clock, other.Team, other.Worker);

    /// <summary>
    /// <see cref="SameInputs(ClockVersion)"/> against a clock and allocation not yet made a version: <see cref="ClockHistory"/>
    /// makes versions only of the clocks that changed.
    /// </summary>
    internal bool SameInputs(Clock clock, string? team, string? worker) =>
        Clock.Rule == clock.Rule && Clock.Episode == clock.Episode && Clock.Limit == clock.Limit
        && Clock.Started == clock.Started && Clock.Due == clock.Due && Clock.Stopped == clock.Stopped
        && Clock.Cancelled == clock.Cancelled && Clock.NotMeasurable == clock.NotMeasurable
        && Clock.StopEventType == clock.StopEventType && Clock.CancelEventType == clock.CancelEventType
        && Clock.NotMeasurableReason == clock.NotMeasurableReason && Team == team && Worker == worker;
}
