using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using JasperFx.Events;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Store.Marten;

/// <summary>
/// The envelope fields Marten has no column for travel as event headers, each under one name here.
/// Marten's own columns carry the rest: id, stream (child), tenant (council), timestamp (recordedAt),
/// correlation id.
/// </summary>
internal static class EnvelopeHeaders
{
    public const string OccurredAt = "occurredAt";
    public const string RecordedAtInferred = "recordedAtInferred";
    public const string StoredAt = "storedAt";
    public const string RecordedBy = "recordedBy";
    public const string SourceSystem = "sourceSystem";
    public const string SourceKey = "sourceKey";

    /// <summary>The event as Marten appends it: the catalogue record under its runtime type, the envelope around it.</summary>
    public static IEvent ToMartenEvent(NewEvent e, IPathwayEventData data, Func<object, IEvent> build, Instant storedAt)
    {
        var built = build(data);
        built.Id = e.Id;
        built.Timestamp = NpgsqlTime.TruncateToMicroseconds(e.RecordedAt ?? storedAt).ToDateTimeOffset();
        built.CorrelationId = e.CorrelationId;
        built.SetHeader(OccurredAt, e.OccurredAt.ToString());
        if (e.RecordedAtInferred) built.SetHeader(RecordedAtInferred, "true");
        built.SetHeader(StoredAt, InstantPattern.ExtendedIso.Format(NpgsqlTime.TruncateToMicroseconds(storedAt)));
        if (e.RecordedBy is not null) built.SetHeader(RecordedBy, e.RecordedBy);
        if (e.SourceSystem is not null) built.SetHeader(SourceSystem, e.SourceSystem);
        if (e.SourceKey is not null) built.SetHeader(SourceKey, e.SourceKey);
        return built;
    }

    /// <summary>A stored Marten event in the store's shape.</summary>
    public static StoredEvent ToStoredEvent(IEvent e)
    {
        var recordedAt = Instant.FromDateTimeOffset(e.Timestamp);
        var occurred = (Text(e, OccurredAt) is { } o ? OccurrenceText.ParseOccurrence(o) : null)
            ?? throw new InvalidOperationException($"Event {e.Id} has no readable {OccurredAt} header.");
        var storedAt = Text(e, StoredAt) is { } s ? InstantPattern.ExtendedIso.Parse(s).Value : recordedAt;
        var data = e.Data as IPathwayEventData
            ?? throw new InvalidOperationException($"Event {e.Id} of type {e.EventTypeName} is not a pathway event.");
        return new StoredEvent(
            e.Sequence, e.TenantId, e.StreamKey ?? "", e.Version, e.Id, EventTypes.NameOf(data), data,
            occurred, recordedAt, Text(e, RecordedAtInferred) == "true", storedAt,
            Text(e, RecordedBy), Text(e, SourceSystem), Text(e, SourceKey), e.CorrelationId);
    }

    // Headers come back from JSON as elements; every header here is written as a string.
    private static string? Text(IEvent e, string name) => e.GetHeader(name) switch
    {
        null => null,
        string s => s,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } j => j.GetString(),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => null,
        var other => other.ToString(),
    };
}
