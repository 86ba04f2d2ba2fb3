using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// A clock's status at an instant from its inputs alone, so that a read model storing the inputs gives
/// the same answer as the fold: stopped → met or late; cancelled → cancelled; open and not measurable
/// from its source → not-measurable; open → breached once past due, else running.
/// </summary>
public static class ClockStatuses
{
    public static ClockStatus At(Deadline due, Occurrence? stopped, Occurrence? cancelled, bool notMeasurable, Instant at)
    {
        if (stopped is { } stop) return due.IsMetBy(stop) ? ClockStatus.Met : ClockStatus.Late;
        if (cancelled is not null) return ClockStatus.Cancelled;
        if (notMeasurable) return ClockStatus.NotMeasurable;
        return due.IsPastAt(at) ? ClockStatus.Breached : ClockStatus.Running;
    }
}
