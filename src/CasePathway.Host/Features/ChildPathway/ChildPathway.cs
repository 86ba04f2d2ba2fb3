using CasePathway.Host.Features.Clocks;
using System.Text.Json;
using NodaTime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>A child's pathway as the authority knew it at <see cref="AsAt"/>, and what it learnt later.</summary>
public sealed record ChildPathway(
    string Tenant,
    string Child,
    Instant AsAt,
    bool IsAsAt,
    string? Team,
    string? Worker,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<ClockView> Clocks,
    IReadOnlyList<TimelineEntry> RecordedLater);

/// <summary>
/// One event of a child's timeline, with the three times a QA lead compares; its data as the JSON object it
/// was recorded with (the page, the CLI and the API show the same).
/// </summary>
public sealed record TimelineEntry(
    long Sequence,
    Guid Id,
    string Type,
    string OccurredAt,
    string RecordedAt,
    bool RecordedAtInferred,
    string StoredAt,
    string? RecordedBy,
    string? SourceSystem,
    JsonElement Data,
    bool Retracted,
    int RecordedLateByWorkingDays);
