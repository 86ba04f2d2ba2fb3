using System.Text.Json;

namespace CasePathway.Domain.Events;

internal static class JsonKinds
{
    public const string InvalidUnicode = "holds an escaped half of a surrogate pair: it is not valid Unicode text";

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

    /// <summary>
    /// A string value, or null when JSON escapes make it invalid UTF-16 (<c>"\ud800"</c> is well-formed JSON,
    /// but System.Text.Json refuses to turn it into a string).
    /// </summary>
    public static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An unknown property's name as an error names it: short, printable, and "" rather than nothing.</summary>
    public static string FieldName(string name) => name.Length == 0 ? "\"\"" : DoorLimits.Shown(name);

    /// <summary>An object's properties by name; a name given twice is an error (which value would count?).</summary>
    public static Dictionary<string, JsonElement> Properties(JsonElement obj, string prefix, List<FieldError> errors)
    {
        var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            string name;
            try
            {
                name = p.Name;
            }
            catch (InvalidOperationException)
            {
                errors.Add(new FieldError(prefix.Length == 0 ? "$" : prefix, $"a property name {InvalidUnicode}"));
                continue;
            }
            if (!props.TryAdd(name, p.Value))
                errors.Add(new FieldError(prefix.Length == 0 ? FieldName(name) : $"{prefix}.{FieldName(name)}", "is given more than once"));
        }
        return props;
    }
}
