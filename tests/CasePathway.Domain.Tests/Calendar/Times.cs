using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Calendar;

/// <summary>Readable test inputs: London dates and local date-times from contract-style text.</summary>
internal static class Times
{
    public static LocalDate Date(string text) => OccurrenceText.ParseDate(text) ?? throw new FormatException(text);

    public static LocalDateTime Local(string text) => OccurrenceText.ParseLocalDateTime(text) ?? throw new FormatException(text);

    /// <summary>An occurrence at a London local date-time.</summary>
    public static Occurrence At(string local) => Occurrence.At(London.InstantOf(Local(local)));

    public static Occurrence On(string date) => Occurrence.On(Date(date));
}
