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

    // Rules read fields of every event of every child they fold or check: reflection's GetValue and a
    // kebab-casing per read made that the cost of an import's decisions, so each field gets a compiled getter.
    private static readonly ConcurrentDictionary<(Type, string), Func<IPathwayEventData, object?>?> Getters = new();
    private static readonly ConcurrentDictionary<Enum, string> EnumWireValues = new();

    public static string? Read(IPathwayEventData data, string field) =>
        Getter(data.GetType(), field)?.Invoke(data) is { } value ? WireValue(value) : null;

    public static string WireValue(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        Enum e => EnumWireValues.GetOrAdd(e, static e => Kebab(e.ToString())),
        _ => value.ToString() ?? "",
    };

    private static Func<IPathwayEventData, object?>? Getter(Type dataType, string field) =>
        Getters.GetOrAdd((dataType, field), static k =>
        {
            if (Property(k.Item1, k.Item2) is not { } property) return null;
            var data = System.Linq.Expressions.Expression.Parameter(typeof(IPathwayEventData), "data");
            var read = System.Linq.Expressions.Expression.Convert(
                System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Convert(data, k.Item1), property), typeof(object));
            return System.Linq.Expressions.Expression.Lambda<Func<IPathwayEventData, object?>>(read, data).Compile();
        });

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
