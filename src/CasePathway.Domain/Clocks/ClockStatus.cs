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
