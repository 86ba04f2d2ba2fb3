using CasePathway.Domain.Time;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// How occurrences compare when deciding whether one event came before another. When either side only
/// has a date, only dates can be compared: a screening recorded as "3 Oct" is not before a contact at
/// 09:15 on 3 Oct.
/// </summary>
public static class OccurrenceOrder
{
    /// <summary>Negative when <paramref name="a"/> is known to be before <paramref name="b"/>; zero when they cannot be told apart.</summary>
    public static int Compare(Occurrence a, Occurrence b) =>
        a.IsDateOnly || b.IsDateOnly ? a.Date.CompareTo(b.Date) : a.Instant!.Value.CompareTo(b.Instant!.Value);

    public static bool IsBefore(this Occurrence a, Occurrence b) => Compare(a, b) < 0;
}
