using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

/// <summary>
/// One statutory or local timescale: which event starts its clock, which stop or cancel it, how the
/// events of one episode are linked, and its limit. Repeating rules (reviews) have <see cref="Then"/>:
/// the limits of the second, third… clock, each counted from the previous stop; the last one repeats.
/// </summary>
public sealed record Rule(
    string Id,
    string Title,
    Trigger Start,
    IReadOnlyList<Trigger> Stops,
    IReadOnlyList<Trigger> Cancels,
    Limit Limit,
    IReadOnlyList<Limit> Then,
    string Source,
    bool Enabled = true)
{
    public bool IsRepeating => Then.Count > 0;

    /// <summary>The limit of the n-th clock of an episode (1-based).</summary>
    public Limit LimitOf(int n) => n <= 1 || Then.Count == 0 ? Limit : Then[Math.Min(n - 2, Then.Count - 1)];

    public IEnumerable<string> StopEventTypes => Stops.Select(s => s.Event).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// "This event type, when these conditions hold; its episode is the value of this field" — optionally
/// through a link, when the event carries another id than the episode's (an assessment authorised
/// carries its assessmentId; the referral it answers is named by AssessmentStarted).
/// </summary>
public sealed record Trigger(string Event, string EpisodeField, IReadOnlyList<Condition> Where, EpisodeLink? Via = null)
{
    public bool Matches(PathwayEvent e)
    {
        if (!string.Equals(e.Type, Event, StringComparison.Ordinal)) return false;
        // A loop, not All(…): the fold asks this of every event of a child for every rule it refolds.
        for (var i = 0; i < Where.Count; i++)
            if (!Where[i].HoldsFor(e.Data)) return false;
        return true;
    }

    /// <summary>The episode the event belongs to for this trigger, or null when it names none (or no link is known).</summary>
    public string? EpisodeOf(IPathwayEventData data, EpisodeLinks links)
    {
        var key = EventFields.Read(data, EpisodeField);
        if (string.IsNullOrWhiteSpace(key)) return null;
        return Via is null ? key : links.Resolve(Via, key);
    }
}

/// <summary>Links an id carried by <see cref="Event"/>'s <see cref="Key"/> field to the episode id in its <see cref="Episode"/> field.</summary>
public sealed record EpisodeLink(string Event, string Key, string Episode);

/// <summary>
/// A test on one field of an event's data, compared by wire value (enums kebab-case, booleans
/// true/false; an absent optional field is null): in a set, not in a set, or present.
/// </summary>
public sealed record Condition(string Field, IReadOnlyList<string?>? In = null, IReadOnlyList<string?>? NotIn = null, bool? Present = null)
{
    public bool HoldsFor(IPathwayEventData data)
    {
        var value = EventFields.Read(data, Field);
        if (In is not null && !In.Contains(value)) return false;
        if (NotIn is not null && NotIn.Contains(value)) return false;
        if (Present is { } p && p == string.IsNullOrWhiteSpace(value)) return false;
        return true;
    }
}

/// <summary>
/// What a source system cannot record: a clock it started whose stop it cannot show is not measurable.
/// <see cref="CannotLink"/> holds <c>Event.field</c> links it never fills (Annex A has no assessment →
/// referral link), so a stop reached only through such a link cannot be shown either.
/// </summary>
public sealed record SourceCapability(string System, IReadOnlySet<string> CannotRecord, string Why, IReadOnlySet<string>? CannotLink = null)
{
    /// <summary>Why this source cannot show <paramref name="stop"/>, or null when it can.</summary>
    public string? CannotShow(Trigger stop) =>
        CannotRecord.Contains(stop.Event) ? stop.Event
        : stop.Via is { } via && CannotLink is { } links && links.Contains($"{via.Event}.{via.Episode}") ? $"{stop.Event} linked by {via.Event}.{via.Episode}"
        : null;
}
