using System.Text.Json;

namespace CasePathway.Domain.Events;

internal static class JsonKinds
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>An object's properties by name; a name given twice is an error (which value would count?).</summary>
    public static Dictionary<string, JsonElement> Properties(JsonElement obj, string prefix, List<FieldError> errors)
    {
        var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!props.TryAdd(p.Name, p.Value))
                errors.Add(new FieldError(prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", "is given more than once"));
        }
        return props;
    }
}
