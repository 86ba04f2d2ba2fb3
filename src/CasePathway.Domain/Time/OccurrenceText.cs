using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Time;

/// <summary>
/// The one place where times are turned into text and back: ISO instants with offset, local dates and
/// local date-times, as the contract writes them.
/// </summary>
public static class OccurrenceText
{
    public static readonly LocalDatePattern Date = LocalDatePattern.Iso;
    public static readonly LocalDateTimePattern DateTimeMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern DateTimeSeconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly OffsetDateTimePattern Offset = OffsetDateTimePattern.ExtendedIso;
    private static readonly InstantPattern Utc = InstantPattern.ExtendedIso;
    // People type instants to the minute: 2022-10-10T09:00+01:00.
    private static readonly OffsetDateTimePattern OffsetMinutes = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>");
    // GeneralIso would write "+01" for a whole-hour offset; the contract writes "+01:00".
    private static readonly OffsetDateTimePattern OffsetOut =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<m>");

    /// <summary>An instant as London local time with its offset: 2022-10-03T09:15:00+01:00.</summary>
    public static string Format(Instant instant) =>
        OffsetOut.Format(instant.InZone(London.Zone).ToOffsetDateTime());

    public static string FormatDate(LocalDate date) => Date.Format(date);

    public static string FormatLocal(LocalDateTime local) => DateTimeMinutes.Format(local);

    /// <summary>Reads an instant with an offset or a trailing Z; null when the text is not one.</summary>
    public static Instant? ParseInstant(string text)
    {
        var offset = Offset.Parse(text);
        if (offset.Success) return InstantOf(offset.Value);
        var minutes = OffsetMinutes.Parse(text);
        if (minutes.Success) return InstantOf(minutes.Value);
        var utc = Utc.Parse(text);
        return utc.Success ? utc.Value : null;
    }

    // The pattern accepts any year 0001–9999 with any offset; at the very ends the instant falls outside
    // what NodaTime can hold, and that is "not an instant" rather than a crash.
    private static Instant? InstantOf(OffsetDateTime value)
    {
        try
        {
            var instant = value.ToInstant();
            return instant >= Instant.MinValue && instant <= Instant.MaxValue ? instant : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Reads an occurrence: an instant with offset, or a plain date. Null when it is neither.</summary>
    public static Occurrence? ParseOccurrence(string text)
    {
        var date = Date.Parse(text);
        if (date.Success) return Occurrence.On(date.Value);
        return ParseInstant(text) is { } i ? Occurrence.At(i) : null;
    }

    /// <summary>Reads a London local date-time (minutes or seconds) or, failing that, an instant.</summary>
    public static LocalDateTime? ParseLocalDateTime(string text)
    {
        var m = DateTimeMinutes.Parse(text);
        if (m.Success) return m.Value;
        var s = DateTimeSeconds.Parse(text);
        if (s.Success) return s.Value;
        return ParseInstant(text) is { } i ? London.LocalDateTimeOf(i) : null;
    }

    public static LocalDate? ParseDate(string text)
    {
        var d = Date.Parse(text);
        return d.Success ? d.Value : null;
    }
}
