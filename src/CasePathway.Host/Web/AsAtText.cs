using CasePathway.Domain.Events;
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

    public static bool TryParse(string? text, out Instant? asAt) => TryParse(text, out asAt, out _);

    /// <summary>
    /// Also refuses, saying why: a London time that does not exist (the spring-forward hour) and an instant
    /// outside the dates the working calendar is asked to count (<see cref="DoorLimits.AsAtProblem"/>).
    /// </summary>
    public static bool TryParse(string? text, out Instant? asAt, out string? problem)
    {
        asAt = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        text = text.Trim();
        Instant at;
        if (OccurrenceText.ParseInstant(text) is { } instant) at = instant;
        // a local date-time only: ParseLocalDateTime also accepts instants, which were handled above
        else if (text.Length <= 19 && OccurrenceText.ParseLocalDateTime(text) is { } local)
        {
            if (!London.TryInstantOf(local, out at, out problem)) return false;
        }
        else
        {
            problem = Problem;
            return false;
        }
        problem = DoorLimits.AsAtProblem(at);
        if (problem is not null) return false;
        asAt = at;
        return true;
    }

    /// <summary>The value for a date-time-local control: London local time, minutes.</summary>
    public static string ForInput(Instant instant) => OccurrenceText.FormatLocal(London.LocalDateTimeOf(instant));
}
