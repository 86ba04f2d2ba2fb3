using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CasePathway.Domain.Time;

namespace CasePathway.Domain.Events;

/// <summary>
/// The contract's event envelope in JSON, both ways. Reading validates everything and lists every
/// problem found, each naming its field; writing is canonical (fixed property order, camelCase,
/// kebab-case enum values, nulls omitted) so the same content always gives the same text.
/// </summary>
public static class EventJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    // Relaxed escaping keeps '+' in offsets and non-ASCII names readable; the output is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// One event envelope (a JSON object), held to <see cref="DoorLimits"/>. With <paramref name="now"/>, an
    /// event that has not happened yet is refused too.
    /// </summary>
    public static ParseResult<PathwayEvent> Parse(string json, NodaTime.Instant? now = null)
    {
        using var document = TryOpen(json, out var malformed);
        if (document is null) return ParseResult<PathwayEvent>.Fail([malformed!]);
        return Parse(document.RootElement, now);
    }

    public static ParseResult<PathwayEvent> Parse(JsonElement element, NodaTime.Instant? now = null)
    {
        var errors = new List<FieldError>();
        var parsed = EnvelopeReader.Read(element, "", errors, now);
        return errors.Count == 0 ? ParseResult<PathwayEvent>.Ok(parsed!) : ParseResult<PathwayEvent>.Fail(errors);
    }

    /// <summary>
    /// One event or a JSON array of events. All or nothing: when any element is bad the result carries
    /// every error of every element, prefixed with its index (<c>[3].data.contactId</c>).
    /// </summary>
    public static ParseResult<IReadOnlyList<PathwayEvent>> ParseBatch(string json, NodaTime.Instant? now = null)
    {
        using var document = TryOpen(json, out var malformed);
        if (document is null) return ParseResult<IReadOnlyList<PathwayEvent>>.Fail([malformed!]);
        return ParseBatch(document.RootElement, now);
    }

    public static ParseResult<IReadOnlyList<PathwayEvent>> ParseBatch(JsonElement element, NodaTime.Instant? now = null)
    {
        var errors = new List<FieldError>();
        var events = new List<PathwayEvent>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (EnvelopeReader.Read(item, $"[{index}]", errors, now) is { } e) events.Add(e);
                index++;
            }
            if (index == 0) errors.Add(new FieldError("$", "the batch is empty"));
        }
        else if (EnvelopeReader.Read(element, "", errors, now) is { } single)
        {
            events.Add(single);
        }
        return errors.Count == 0
            ? ParseResult<IReadOnlyList<PathwayEvent>>.Ok(events)
            : ParseResult<IReadOnlyList<PathwayEvent>>.Fail(errors);
    }

    /// <summary>The <c>data</c> of an event of the given type (as the store keeps it).</summary>
    public static ParseResult<IPathwayEventData> ParseData(string type, string dataJson)
    {
        if (EventTypes.TypeOf(type) is not { } clr)
            return ParseResult<IPathwayEventData>.Fail([new FieldError("type", $"'{type}' is not a known event type")]);
        using var document = TryOpen(dataJson, out var malformed);
        if (document is null) return ParseResult<IPathwayEventData>.Fail([malformed! with { Field = "data" }]);
        var errors = new List<FieldError>();
        var data = DataReader.Read(clr, document.RootElement, "data", errors, atTheDoor: false);
        return errors.Count == 0 ? ParseResult<IPathwayEventData>.Ok(data!) : ParseResult<IPathwayEventData>.Fail(errors);
    }

    /// <summary>The envelope as one line of JSON, in the contract's property order.</summary>
    public static string Serialize(PathwayEvent e) => Write(w => WriteEnvelope(w, e));

    /// <summary>A JSON array of envelopes.</summary>
    public static string SerializeBatch(IEnumerable<PathwayEvent> events) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var e in events) WriteEnvelope(w, e);
        w.WriteEndArray();
    });

    /// <summary>The canonical JSON of an event's data: what the store keeps and hashes for idempotency.</summary>
    public static string CanonicalData(IPathwayEventData data) => Write(w => WriteData(w, data));

    [ThreadStatic] private static Utf8JsonWriter? _canonicalWriter;

    /// <summary>
    /// <see cref="CanonicalData"/>'s UTF-8 bytes written into <paramref name="buffer"/>, without a string between
    /// (the content hash of every appended event reads them). Not reentrant on one thread.
    /// </summary>
    public static void WriteCanonicalData(IBufferWriter<byte> buffer, IPathwayEventData data)
    {
        var writer = _canonicalWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            WriteData(writer, data);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null); // holds no caller's buffer
        }
    }

    public static void WriteEnvelope(Utf8JsonWriter w, PathwayEvent e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id.ToString("D"));
        w.WriteString("tenant", e.Tenant);
        w.WriteString("child", e.Child);
        w.WriteString("type", e.Type);
        w.WriteString("occurredAt", e.OccurredAt.ToString());
        if (e.RecordedAt is { } recorded) w.WriteString("recordedAt", OccurrenceText.Format(recorded));
        WriteOptional(w, "recordedBy", e.RecordedBy);
        WriteOptional(w, "sourceSystem", e.SourceSystem);
        WriteOptional(w, "sourceKey", e.SourceKey);
        WriteOptional(w, "correlationId", e.CorrelationId);
        w.WritePropertyName("data");
        WriteData(w, e.Data);
        w.WriteEndObject();
    }

    public static void WriteData(Utf8JsonWriter w, IPathwayEventData data)
    {
        w.WriteStartObject();
        foreach (var field in EventDataShape.Of(data.GetType()).Fields)
        {
            var value = field.Read(data);
            if (value is null) continue;
            switch (field.Kind)
            {
                case DataFieldKind.Text: w.WriteString(field.Name, (string)value); break;
                case DataFieldKind.Flag: w.WriteBoolean(field.Name, (bool)value); break;
                case DataFieldKind.Uuid: w.WriteString(field.Name, ((Guid)value).ToString("D")); break;
                case DataFieldKind.Choice: w.WriteString(field.Name, WireNames.Of(field.ClrType, value)); break;
                case DataFieldKind.Attendance:
                    var a = (Attendance)value;
                    if (a.Police is null && a.Health is null && a.Education is null) break;
                    w.WriteStartObject(field.Name);
                    if (a.Police is { } police) w.WriteBoolean("police", police);
                    if (a.Health is { } health) w.WriteBoolean("health", health);
                    if (a.Education is { } education) w.WriteBoolean("education", education);
                    w.WriteEndObject();
                    break;
            }
        }
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) body(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonDocument? TryOpen(string json, out FieldError? malformed)
    {
        try
        {
            malformed = null;
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            malformed = new FieldError("$", Malformed(ex));
            return null;
        }
        catch (ArgumentException)
        {
            // the text itself (not a JSON escape in it) holds a lone surrogate, which cannot become UTF-8
            malformed = new FieldError("$", "the text is not valid Unicode (it holds half of a surrogate pair)");
            return null;
        }
    }

    /// <summary>"malformed JSON at line 2, position 14: …" (1-based, as editors count).</summary>
    internal static string Malformed(JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        var line = (ex.LineNumber ?? 0) + 1;
        var position = (ex.BytePositionInLine ?? 0) + 1;
        return $"malformed JSON at line {line}, position {position}: {reason.TrimEnd('.')}";
    }
}
