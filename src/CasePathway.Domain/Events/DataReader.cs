using System.Text.Json;

namespace CasePathway.Domain.Events;

/// <summary>Reads an event's <c>data</c> object against its catalogue record, collecting every problem.</summary>
internal static class DataReader
{
    /// <param name="atTheDoor">
    /// Apply <see cref="DoorLimits"/>: true for input, false for data the store already holds (stored before a
    /// limit existed, it must still read, or one old event would stop every projection).
    /// </param>
    public static IPathwayEventData? Read(Type type, JsonElement element, string prefix, List<FieldError> errors, bool atTheDoor = true)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix, $"must be an object, not {JsonKinds.Describe(element.ValueKind)}"));
            return null;
        }
        var before = errors.Count;
        var shape = EventDataShape.Of(type);
        var props = JsonKinds.Properties(element, prefix, errors);
        foreach (var name in props.Keys.Where(k => shape.Fields.All(f => f.Name != k)))
            errors.Add(new FieldError($"{prefix}.{JsonKinds.FieldName(name)}", $"is not a field of {type.Name}"));

        var values = new object?[shape.Fields.Count];
        for (var i = 0; i < shape.Fields.Count; i++)
        {
            var field = shape.Fields[i];
            var path = $"{prefix}.{field.Name}";
            if (!props.TryGetValue(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required) errors.Add(new FieldError(path, "is required"));
                continue;
            }
            values[i] = ReadValue(field, value, path, errors, atTheDoor);
        }

        if (errors.Count == before && shape.NeedsOneField && values.All(v => v is null))
            errors.Add(new FieldError(prefix, $"{type.Name} needs at least one of {string.Join(", ", shape.Fields.Select(f => f.Name))}"));
        return errors.Count > before ? null : shape.Create(values);
    }

    private static object? ReadValue(DataField field, JsonElement value, string path, List<FieldError> errors, bool atTheDoor)
    {
        switch (field.Kind)
        {
            case DataFieldKind.Flag:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
                errors.Add(new FieldError(path, $"must be true or false, not {JsonKinds.Describe(value.ValueKind)}"));
                return null;
            case DataFieldKind.Attendance:
                return ReadAttendance(value, path, errors);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, $"must be a string, not {JsonKinds.Describe(value.ValueKind)}"));
            return null;
        }
        if (JsonKinds.TryGetString(value) is not { } text)
        {
            errors.Add(new FieldError(path, JsonKinds.InvalidUnicode));
            return null;
        }
        switch (field.Kind)
        {
            case DataFieldKind.Text:
                if (string.IsNullOrWhiteSpace(text))
                {
                    errors.Add(new FieldError(path, field.Required ? "must not be blank" : "must not be blank (leave it out instead)"));
                    return null;
                }
                return Checked(DoorLimits.DataTextProblem(field, text), text);
            case DataFieldKind.Uuid:
                if (Guid.TryParseExact(text, "D", out var id)) return Checked(DoorLimits.IdProblem(id), id);
                errors.Add(new FieldError(path, $"'{DoorLimits.Shown(text)}' is not a UUID"));
                return null;
            default:
                if (WireNames.TryParse(field.ClrType, text, out var choice)) return choice;
                errors.Add(new FieldError(path, $"'{DoorLimits.Shown(text)}' is not one of {string.Join(", ", WireNames.All(field.ClrType))}"));
                return null;
        }

        object? Checked(string? problem, object parsed)
        {
            if (problem is null || !atTheDoor) return parsed;
            errors.Add(new FieldError(path, problem));
            return null;
        }
    }

    private static Attendance? ReadAttendance(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, $"must be an object {{police, health, education}}, not {JsonKinds.Describe(value.ValueKind)}"));
            return null;
        }
        var props = JsonKinds.Properties(value, path, errors);
        bool? Flag(string name)
        {
            if (!props.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            errors.Add(new FieldError($"{path}.{name}", $"must be true or false, not {JsonKinds.Describe(v.ValueKind)}"));
            return null;
        }
        foreach (var name in props.Keys.Where(k => k is not ("police" or "health" or "education")))
            errors.Add(new FieldError($"{path}.{JsonKinds.FieldName(name)}", "is not one of police, health, education"));
        var attendance = new Attendance(Flag("police"), Flag("health"), Flag("education"));
        // Nothing recorded is the same as no attendance, so both have one canonical form.
        return attendance == new Attendance() ? null : attendance;
    }
}
