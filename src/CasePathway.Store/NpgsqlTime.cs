using NodaTime;

namespace CasePathway.Store;

/// <summary>
/// The one place where NodaTime values meet Npgsql: instants travel as UTC <see cref="DateTime"/> into
/// <c>timestamptz</c> (never <c>timestamp</c>, never "at time zone" — Marten #5136), local dates as
/// <see cref="DateOnly"/> into <c>date</c>. PostgreSQL keeps microseconds, so instants are truncated to
/// microseconds on the way in; what is read back is then exactly what was written.
/// </summary>
public static class NpgsqlTime
{
    public static DateTime ToTimestamptz(Instant instant) => TruncateToMicroseconds(instant).ToDateTimeUtc();

    public static Instant FromTimestamptz(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => Instant.FromDateTimeUtc(value),
        _ => throw new ArgumentException($"A timestamptz must arrive as a UTC DateTime, not {value.Kind}.", nameof(value)),
    };

    public static DateOnly ToDate(LocalDate date) => date.ToDateOnly();

    public static LocalDate FromDate(DateOnly date) => LocalDate.FromDateOnly(date);

    /// <summary>A London local date-time (a due time of an hour rule) into <c>timestamp</c> without zone.</summary>
    public static DateTime ToTimestamp(LocalDateTime local) => DateTime.SpecifyKind(local.ToDateTimeUnspecified(), DateTimeKind.Unspecified);

    public static LocalDateTime FromTimestamp(DateTime value) => LocalDateTime.FromDateTime(value);

    public static Instant TruncateToMicroseconds(Instant instant)
    {
        // A tick is 100 ns, so a microsecond is 10 ticks; floor, also before 1970.
        var ticks = instant.ToUnixTimeTicks();
        return Instant.FromUnixTimeTicks(ticks - ((ticks % 10) + 10) % 10);
    }
}
