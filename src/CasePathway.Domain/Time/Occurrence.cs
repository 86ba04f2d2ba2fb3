using NodaTime;

namespace CasePathway.Domain.Time;

/// <summary>
/// When something happened in the world: an instant when the source knows it, or only a local date
/// (Annex A, the CIN census). The distinction is kept because a date-only occurrence converted to an
/// instant would land on the day before in UTC during British Summer Time.
/// </summary>
public readonly record struct Occurrence
{
    private Occurrence(Instant? instant, LocalDate date)
    {
        Instant = instant;
        Date = date;
    }

    /// <summary>The exact instant, when the source recorded one.</summary>
    public Instant? Instant { get; }

    /// <summary>The Europe/London local date of the occurrence (always present).</summary>
    public LocalDate Date { get; }

    public bool IsDateOnly => Instant is null;

    public static Occurrence At(Instant instant) => new(instant, instant.InZone(London.Zone).Date);

    public static Occurrence On(LocalDate date) => new(null, date);

    /// <summary>
    /// The Europe/London local date-time, for hour-based clocks. A date-only occurrence is taken as the
    /// start of its day, the earliest moment it can have happened.
    /// </summary>
    public LocalDateTime LocalDateTime => Instant is { } i ? i.InZone(London.Zone).LocalDateTime : Date.AtMidnight();

    /// <summary>An instant for ordering and elapsed-hour arithmetic; date-only is the start of the London day.</summary>
    public Instant ToInstant() => Instant ?? Date.AtStartOfDayInZone(London.Zone).ToInstant();

    public override string ToString() => Instant is { } i ? OccurrenceText.Format(i) : Date.ToString("uuuu-MM-dd", null);
}
