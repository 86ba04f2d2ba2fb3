using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

/// <summary>
/// Reads a field of an event's data by its contract (camelCase) name, as its wire value: enums in
/// kebab-case (EarlyHelp → early-help), booleans true/false, absent → null. Rules name fields this way.
/// </summary>
public static class EventFields
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    public static PropertyInfo? Property(Type dataType, string field) =>
        Properties.GetOrAdd((dataType, field), static k =>
            k.Item2.Length == 0 ? null : k.Item1.GetProperty(char.ToUpperInvariant(k.Item2[0]) + k.Item2[1..], BindingFlags.Public | BindingFlags.Instance));

    public static string? Read(IPathwayEventData data, string field) =>
        Property(data.GetType(), field)?.GetValue(data) is { } value ? WireValue(value) : null;

    public static string WireValue(object value) => value switch
    {
        bool b => b ? "true" : "false",
        Enum e => Kebab(e.ToString()),
        _ => value.ToString() ?? "",
    };

    /// <summary>The wire values an enum or bool field can take (null for free text).</summary>
    public static IReadOnlyList<string>? AllowedValues(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(bool)) return ["true", "false"];
        if (type.IsEnum) return Enum.GetNames(type).Select(Kebab).ToList();
        return null;
    }

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
