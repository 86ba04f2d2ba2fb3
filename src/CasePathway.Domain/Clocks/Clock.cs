using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// One statutory clock of one child: a rule applied to one episode (<c>K1</c>, <c>P1#2</c>). Everything
/// its status depends on is kept, so a projection can store it and ask <see cref="StatusAt"/> for any
/// instant without refolding.
/// </summary>
public sealed record Clock(
    string Rule,
    string Episode,
    Limit Limit,
    Occurrence Started,
    Guid StartEventId,
    Deadline Due,
    Occurrence? Stopped,
    Guid? StopEventId,
    string? StopEventType,
    Occurrence? Cancelled,
    Guid? CancelEventId,
    string? CancelEventType,
    bool NotMeasurable,
    string? NotMeasurableReason,
    Instant EvaluatedAt,
    decimal Elapsed,
    string Explanation)
{
    public TimeUnit Unit => Limit.Unit;

    /// <summary>
    /// How the due date was counted (the calendar's sentence), without the outcome. Unlike
    /// <see cref="Explanation"/> it does not depend on <see cref="EvaluatedAt"/>, so it is the part to
    /// store when statuses are re-evaluated later.
    /// </summary>
    public string DueExplanation { get; init; } = "";

    /// <summary>The type of the event that started the clock (its rule's start), for the explanation's words.</summary>
    public string? StartEventType { get; init; }

    /// <summary>The first instant at which this clock, if still open, is breached (see <see cref="DeadlineInstants.OverdueFrom"/>).</summary>
    public Instant OverdueFrom => Due.OverdueFrom();

    /// <summary>The status at <see cref="EvaluatedAt"/>.</summary>
    public ClockStatus Status => StatusAt(EvaluatedAt);

    public bool IsOpen => Stopped is null && Cancelled is null;

    /// <summary>The status at any instant, from the inputs kept here (<see cref="ClockStatuses.At"/>).</summary>
    public ClockStatus StatusAt(Instant at) => ClockStatuses.At(Due, Stopped, Cancelled, NotMeasurable, at);
}

/// <summary>Who holds the child's case: the latest CaseAllocated by occurrence.</summary>
public sealed record Allocation(string? Team, string? Worker, Occurrence Since, Guid EventId);

/// <summary>A child's clocks and allocation, folded from the child's events at an instant.</summary>
public sealed record Pathway(string? Tenant, string? Child, Instant EvaluatedAt, IReadOnlyList<Clock> Clocks, Allocation? Allocation);
