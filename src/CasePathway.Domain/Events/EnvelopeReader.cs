using System.Text.Json;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Events;

/// <summary>Reads one envelope, collecting every problem rather than stopping at the first.</summary>
internal static class EnvelopeReader
{
    private static readonly HashSet<string> Known =
    [
        "id", "tenant", "child", "type", "occurredAt", "recordedAt", "recordedBy", "sourceSystem", "sourceKey",
        "correlationId", "data",
    ];

    /// <param name="now">When given, an event that has not happened yet is refused (live appends).</param>
    public static PathwayEvent? Read(JsonElement element, string prefix, List<FieldError> errors, Instant? now = null)
    {
        var before = errors.Count;
        string Field(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix.Length == 0 ? "$" : prefix, $"must be a JSON object, not {JsonKinds.Describe(element.ValueKind)}"));
            return null;
        }

        var props = JsonKinds.Properties(element, prefix, errors);
        foreach (var name in props.Keys.Where(k => !Known.Contains(k)))
            errors.Add(new FieldError(Field(JsonKinds.FieldName(name)), "is not a field of the event envelope"));

        Guid id = default;
        if (RequiredString(props, "id", Field, errors) is { } idText)
        {
            if (!Guid.TryParseExact(idText, "D", out id))
                errors.Add(new FieldError(Field("id"), $"'{DoorLimits.Shown(idText)}' is not a UUID (like 0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01)"));
            else
                Check(DoorLimits.IdProblem(id), Field("id"), errors);
        }
        var tenant = RequiredString(props, "tenant", Field, errors);
        if (tenant is not null) Check(DoorLimits.TenantProblem(tenant), Field("tenant"), errors);
        var child = RequiredString(props, "child", Field, errors);
        if (child is not null) Check(DoorLimits.ChildProblem(child), Field("child"), errors);

        Occurrence? occurred = null;
        if (RequiredString(props, "occurredAt", Field, errors) is { } occurredText)
        {
            occurred = OccurrenceText.ParseOccurrence(occurredText);
            if (occurred is null)
                errors.Add(new FieldError(Field("occurredAt"),
                    $"'{DoorLimits.Shown(occurredText)}' is not a date (2022-10-03) or an instant with offset (2022-10-03T09:15:00+01:00)"));
            else if (!Check(DoorLimits.OccurredProblem(occurred.Value, now), Field("occurredAt"), errors))
                occurred = null; // nothing to compare recordedAt with
        }

        Instant? recorded = null;
        if (props.TryGetValue("recordedAt", out var recordedValue) && recordedValue.ValueKind != JsonValueKind.Null
            && StringOf(recordedValue, "recordedAt", Field, errors) is { } recordedText)
        {
            recorded = OccurrenceText.ParseInstant(recordedText);
            if (recorded is null)
                errors.Add(new FieldError(Field("recordedAt"), $"'{DoorLimits.Shown(recordedText)}' is not an instant with offset (2022-10-03T09:20:00+01:00)"));
            else
                Check(DoorLimits.RecordedProblem(recorded.Value, occurred, now), Field("recordedAt"), errors);
        }
        var recordedBy = OptionalKey(props, "recordedBy", Field, errors);
        var sourceSystem = OptionalKey(props, "sourceSystem", Field, errors);
        var sourceKey = OptionalKey(props, "sourceKey", Field, errors);
        var correlationId = OptionalKey(props, "correlationId", Field, errors);

        IPathwayEventData? data = null;
        if (RequiredString(props, "type", Field, errors) is { } typeName)
        {
            if (EventTypes.TypeOf(typeName) is not { } type)
                errors.Add(new FieldError(Field("type"), $"'{DoorLimits.Shown(typeName)}' is not a known event type"));
            else if (!props.TryGetValue("data", out var dataElement) || dataElement.ValueKind == JsonValueKind.Null)
                errors.Add(new FieldError(Field("data"), "is required"));
            else
                data = DataReader.Read(type, dataElement, Field("data"), errors);
        }

        if (errors.Count > before) return null;
        return new PathwayEvent(id, tenant!, child!, occurred!.Value, data!, recorded, recordedBy, sourceSystem, sourceKey, correlationId);
    }

    private static bool Check(string? problem, string field, List<FieldError> errors)
    {
        if (problem is null) return true;
        errors.Add(new FieldError(field, problem));
        return false;
    }

    private static string? RequiredString(Dictionary<string, JsonElement> props, string name, Func<string, string> field, List<FieldError> errors)
    {
        if (!props.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(field(name), "is required"));
            return null;
        }
        var text = StringOf(value, name, field, errors);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FieldError(field(name), "must not be blank"));
            return null;
        }
        return text;
    }

    private static string? OptionalKey(Dictionary<string, JsonElement> props, string name, Func<string, string> field, List<FieldError> errors)
    {
        if (!props.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var text = StringOf(value, name, field, errors);
        return text is not null && Check(DoorLimits.KeyProblem(text), field(name), errors) ? text : null;
    }

    private static string? StringOf(JsonElement value, string name, Func<string, string> field, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field(name), $"must be a string, not {JsonKinds.Describe(value.ValueKind)}"));
            return null;
        }
        if (JsonKinds.TryGetString(value) is { } text) return text;
        errors.Add(new FieldError(field(name), JsonKinds.InvalidUnicode));
        return null;
    }
}
