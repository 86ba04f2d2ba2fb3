using NodaTime;

namespace CasePathway.Domain.Time;

/// <summary>The one time zone in which English local authorities count days (NodaTime's embedded tzdb).</summary>
public static class London
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    public static LocalDateTime LocalDateTimeOf(Instant instant) => instant.InZone(Zone).LocalDateTime;

    /// <summary>Local to instant; in the autumn overlap the earlier instant, in the spring gap the instant after the gap.</summary>
    public static Instant InstantOf(LocalDateTime local) => local.InZoneLeniently(Zone).ToInstant();

    /// <summary>
    /// A local date-time a person typed without an offset (asAt, --as-at, calendar --start): in the autumn
    /// overlap the earlier instant (docs/conventions.md); in the spring gap there is no such London time,
    /// so it is refused with a message saying why, never moved silently to another time.
    /// </summary>
    public static bool TryInstantOf(LocalDateTime local, out Instant instant, out string? problem)
    {
        var mapping = Zone.MapLocal(local);
        problem = null;
        if (mapping.Count > 0)
        {
            instant = mapping.First().ToInstant();
            return true;
        }
        instant = default;
        var forward = mapping.LateInterval.Start;
        var from = forward.WithOffset(mapping.EarlyInterval.WallOffset).LocalDateTime;
        var to = forward.WithOffset(mapping.LateInterval.WallOffset).LocalDateTime;
        var asWinterTime = local.WithOffset(mapping.EarlyInterval.WallOffset);
        problem = $"{OccurrenceText.FormatLocal(local)} does not exist in London: the clocks went forward from " +
                  $"{from:HH':'mm} to {to:HH':'mm} that night. Give a time outside that hour, or an instant with its offset " +
                  $"({OccurrenceText.Format(asWinterTime.ToInstant())} is {OccurrenceText.FormatLocal(local)}{asWinterTime.Offset.ToString("m", null)})";
        return false;
    }
}
