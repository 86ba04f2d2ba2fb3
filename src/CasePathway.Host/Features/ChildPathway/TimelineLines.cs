using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Host.Web;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>One event of the child page's timeline, in words (<see cref="TimelineWording"/>), ready to show.</summary>
public sealed record TimelineLine(
    TimelineEntry Entry,
    string When,
    string What,
    string? Reference,
    string Recording,
    string? RecordedWhen,
    bool IsLate)
{
    /// <summary>"Fri 3 Oct 2025 13:15 — Contact from the police (MASH), recorded 4 minutes later by mash.duty1".</summary>
    public string Sentence => $"{When} — {What}, {Recording}{TimelineWording.By(Recording, Entry.RecordedBy)}";
}

/// <summary>The edge between the pathway's entries (the API's document) and the words the page shows.</summary>
public static class TimelineLines
{
    /// <summary>
    /// The lines of <paramref name="entries"/>; a retraction names the event it withdrew when that is among
    /// <paramref name="everything"/> (the timeline and what was recorded later).
    /// </summary>
    public static IReadOnlyList<TimelineLine> Of(IReadOnlyList<TimelineEntry> entries, IReadOnlyList<TimelineEntry> everything)
    {
        var byId = everything.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
        return entries.Select(e => Line(e, everything, byId)).ToList();
    }

    private static TimelineLine Line(TimelineEntry e, IReadOnlyList<TimelineEntry> everything, Dictionary<Guid, TimelineEntry> byId)
    {
        var occurred = OccurrenceText.ParseOccurrence(e.OccurredAt);
        var recorded = OccurrenceText.ParseInstant(e.RecordedAt);
        var data = DataOf(e);
        var when = occurred is { } o ? TimelineWording.When(o) : e.OccurredAt;
        var what = data is null ? Display.Sentence(e.Type) : TimelineWording.What(data, id => Retracted(id, e, everything, byId));
        var recording = occurred is { } oc && recorded is { } rc
            ? TimelineWording.Recording(oc, rc, e.RecordedAtInferred, e.RecordedLateByWorkingDays)
            : "recorded " + e.RecordedAt;
        return new TimelineLine(e, when, what, data is null ? null : TimelineWording.Reference(data), recording,
            recorded is { } r && !e.RecordedAtInferred ? TimelineWording.When(r) : null, e.RecordedLateByWorkingDays > 0 && !e.RecordedAtInferred);
    }

    private static RetractedEvent? Retracted(Guid id, TimelineEntry retraction, IReadOnlyList<TimelineEntry> everything, Dictionary<Guid, TimelineEntry> byId)
    {
        if (!byId.TryGetValue(id, out var target) || DataOf(target) is not { } data || OccurrenceText.ParseOccurrence(target.OccurredAt) is not { } at)
            return null;
        // A correction (a nightly feed's changed value) is the old event withdrawn and the corrected one recorded together.
        var corrected = target.Type != nameof(EventRetracted) && everything.Any(o =>
            o.Id != target.Id && o.Id != retraction.Id && o.Type == target.Type && o.RecordedAt == retraction.RecordedAt);
        return new RetractedEvent(data, at, corrected);
    }

    private static IPathwayEventData? DataOf(TimelineEntry e) => EventJson.ParseData(e.Type, e.Data.GetRawText()).Value;
}
