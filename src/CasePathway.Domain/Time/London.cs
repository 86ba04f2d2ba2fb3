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
}
