using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Web;

/// <summary>
/// Reads <c>asAt</c> as people and programs send it: an instant with offset (2022-10-03T17:00:00+01:00,
/// or Z), or a London local date-time as a browser's date-time control sends it (2022-10-03T17:00).
/// </summary>
public static class AsAtText
{
    public const string Problem = "must be a date and time, e.g. 2022-10-03T17:00 (London time) or 2022-10-03T17:00:00+01:00";

    public static bool TryParse(string? text, out Instant? asAt)
    {
        asAt = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        text = text.Trim();
        if (OccurrenceText.ParseInstant(text) is { } instant) { asAt = instant; return true; }
        // a local date-time only: ParseLocalDateTime also accepts instants, which were handled above
        if (text.Length <= 19 && OccurrenceText.ParseLocalDateTime(text) is { } local)
        {
            asAt = London.InstantOf(local);
            return true;
        }
        return false;
    }

    /// <summary>The value for a date-time-local control: London local time, minutes.</summary>
    public static string ForInput(Instant instant) => OccurrenceText.FormatLocal(London.LocalDateTimeOf(instant));
}
