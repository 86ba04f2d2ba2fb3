using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using JasperFx.Events;
using NodaTime;
using NodaTime.Text;
using System.Text.Json;

namespace CasePathway.Store.Marten;

/// <summary>
/// The envelope fields Marten has no column for travel as event headers, each under one name here.
/// Marten's own columns carry the rest: id, stream (child), tenant (council), timestamp (recordedAt),
/// correlation id.
/// </summary>
internal static class EnvelopeHeaders
{
    public const string OccurredAt = "occurredAt";
    public const string OccurredOn = "occurredOn";
    public const string RecordedAtInferred = "recordedAtInferred";
    public const string StoredAt = "storedAt";
    public const string RecordedBy = "recordedBy";
    public const string SourceSystem = "sourceSystem";
    public const string SourceKey = "sourceKey";

    private const int MaxHeaders = 6;

    /// <summary>The event as Marten appends it: the catalogue record under its runtime type, the envelope around it.</summary>
    public static IEvent ToMartenEvent(NewEvent e, IPathwayEventData data, Func<object, IEvent> build, Instant storedAt)
    {
        var built = build(data);
        built.Id = e.Id;
        built.Timestamp = TimestampOf(e, storedAt);
        built.CorrelationId = e.CorrelationId;
        // Sized for every header at once: grown one SetHeader at a time it was resized twice per event.
        built.Headers ??= new Dictionary<string, object>(MaxHeaders);
        var sink = new EventSink(built);
        Visit(e, storedAt, ref sink);
        return built;
    }

    /// <summary>Marten's timestamp column for the event: recordedAt, or the time stored, at the store's precision.</summary>
    public static DateTimeOffset TimestampOf(NewEvent e, Instant storedAt) => TimestampInstantOf(e, storedAt).ToDateTimeOffset();

    /// <summary>The same timestamp as an instant (at PostgreSQL's microseconds), for writers that take NodaTime's values.</summary>
    public static Instant TimestampInstantOf(NewEvent e, Instant storedAt) => StoredPrecision.Truncate(e.RecordedAt ?? storedAt);

    /// <summary>
    /// The headers <see cref="ToMartenEvent"/> sets, written straight as the JSON object Marten's serializer makes of
    /// them (the same names and string values; jsonb keeps neither order nor escapes): a bulk append writes them
    /// without a dictionary per event and without serialising it.
    /// </summary>
    public static void WriteHeaders(Utf8JsonWriter json, NewEvent e, Instant storedAt)
    {
        json.WriteStartObject();
        var sink = new JsonSink(json);
        Visit(e, storedAt, ref sink);
        json.WriteEndObject();
    }

    // The one list of headers an event carries, for both ways of writing them.
    private static void Visit<TSink>(NewEvent e, Instant storedAt, ref TSink sink) where TSink : struct, IHeaderSink
    {
        // A date-only occurrence under its own name: Marten reads any date-like header back as a DateTime,
        // which would blur "2022-10-03" into midnight. Instants are written in UTC for the same reason.
        if (e.OccurredAt.Instant is { } occurred) sink.Add(OccurredAt, Utc(occurred));
        else sink.Add(OccurredOn, OccurrenceText.FormatDate(e.OccurredAt.Date));
        if (e.RecordedAtInferred) sink.Add(RecordedAtInferred, "true");
        sink.Add(StoredAt, StoredAtText(storedAt));
        if (e.RecordedBy is not null) sink.Add(RecordedBy, e.RecordedBy);
        if (e.SourceSystem is not null) sink.Add(SourceSystem, e.SourceSystem);
        if (e.SourceKey is not null) sink.Add(SourceKey, e.SourceKey);
    }

    private interface IHeaderSink
    {
        void Add(string name, string value);
    }

    private readonly struct EventSink(IEvent e) : IHeaderSink
    {
        public void Add(string name, string value) => e.SetHeader(name, value);
    }

    private readonly struct JsonSink(Utf8JsonWriter json) : IHeaderSink
    {
        public void Add(string name, string value) => json.WriteString(name, value);
    }

    /// <summary>A stored Marten event in the store's shape.</summary>
    public static StoredEvent ToStoredEvent(IEvent e) =>
        ToStoredEvent(e.Sequence, e.TenantId, e.StreamKey ?? "", e.Version, e.Id, e.EventTypeName, e.Data, e.Timestamp, e.CorrelationId, e.GetHeader);

    /// <summary>A stored event from its columns, as a set-based read of many streams gets them.</summary>
    public static StoredEvent ToStoredEvent(
        long sequence, string tenant, string stream, long version, Guid id, string typeName, object body,
        DateTimeOffset timestamp, string? correlationId, Func<string, object?> header)
    {
        var recordedAt = Instant.FromDateTimeOffset(timestamp);
        var occurred = InstantOf(header, OccurredAt) is { } at ? Occurrence.At(at)
            : DateOf(header, OccurredOn) is { } on ? Occurrence.On(on)
            : throw new InvalidOperationException($"Event {id} has neither an {OccurredAt} nor an {OccurredOn} header.");
        var storedAt = InstantOf(header, StoredAt) ?? recordedAt;
        var data = body as IPathwayEventData
            ?? throw new InvalidOperationException($"Event {id} of type {typeName} is not a pathway event.");
        return new StoredEvent(
            sequence, tenant, stream, version, id, EventTypes.NameOf(data), data,
            occurred, recordedAt, Text(header, RecordedAtInferred) == "true", storedAt,
            Text(header, RecordedBy), Text(header, SourceSystem), Text(header, SourceKey), correlationId);
    }

    private static string Utc(Instant instant) => InstantPattern.ExtendedIso.Format(StoredPrecision.Truncate(instant));

    // Every event of one append is stored at one instant: its text is made once, not once per event.
    private sealed record Formatted(Instant At, string Text);

    private static Formatted? _storedAt;

    private static string StoredAtText(Instant storedAt)
    {
        var last = _storedAt;
        if (last is not null && last.At == storedAt) return last.Text;
        _storedAt = last = new Formatted(storedAt, Utc(storedAt));
        return last.Text;
    }

    private static Instant? InstantOf(Func<string, object?> header, string name) => header(name) switch
    {
        null => null,
        DateTime { Kind: DateTimeKind.Utc } utc => Instant.FromDateTimeUtc(utc),
        DateTime other => Instant.FromDateTimeUtc(other.ToUniversalTime()),
        var text => InstantPattern.ExtendedIso.Parse(text.ToString()!).Value,
    };

    private static LocalDate? DateOf(Func<string, object?> header, string name) => header(name) switch
    {
        null => null,
        DateTime d => new LocalDate(d.Year, d.Month, d.Day),
        var text => OccurrenceText.ParseDate(text.ToString()!),
    };

    // Headers come back from JSON as strings (or elements); the text ones here never look like dates.
    private static string? Text(Func<string, object?> header, string name) => header(name) switch
    {
        null => null,
        string s => s,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } j => j.GetString(),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => null,
        var other => other.ToString(),
    };
}
