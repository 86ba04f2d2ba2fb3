namespace CasePathway.Domain.Clocks;

/// <summary>A clock's status at an instant (contract: running, breached, met, late, cancelled, not-measurable).</summary>
public enum ClockStatus { Running, Breached, Met, Late, Cancelled, NotMeasurable }

public static class ClockStatusNames
{
    public static string Name(this ClockStatus status) => status switch
    {
        ClockStatus.Running => "running",
        ClockStatus.Breached => "breached",
        ClockStatus.Met => "met",
        ClockStatus.Late => "late",
        ClockStatus.Cancelled => "cancelled",
        ClockStatus.NotMeasurable => "not-measurable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ClockStatus? Parse(string name) =>
        Enum.GetValues<ClockStatus>().Cast<ClockStatus?>().FirstOrDefault(s => s!.Value.Name() == name);
}

/// <summary>The one definition of a clock's status from its stored inputs (used by <see cref="Clock"/> and by stored clock versions).</summary>
public static class ClockStatuses
{
    /// <summary>
    /// Stopped: met when the stop meets the deadline, else late. Cancelled before any stop: cancelled.
    /// Open and not measurable from its source: not-measurable (never breached). Else breached once past due.
    /// </summary>
    public static ClockStatus At(Calendar.Deadline due, Time.Occurrence? stopped, Time.Occurrence? cancelled, bool notMeasurable, NodaTime.Instant at)
    {
        if (stopped is { } stop) return due.IsMetBy(stop) ? ClockStatus.Met : ClockStatus.Late;
        if (cancelled is not null) return ClockStatus.Cancelled;
        if (notMeasurable) return ClockStatus.NotMeasurable;
        return due.IsPastAt(at) ? ClockStatus.Breached : ClockStatus.Running;
    }
}
