using System.Collections.Concurrent;
using System.Text;

namespace CasePathway.Domain.Events;

/// <summary>
/// Enum values as the contract writes them: kebab-case of the member name (<c>EarlyHelp</c> →
/// <c>early-help</c>, <c>S47</c> → <c>s47</c>). One place, so that every output agrees.
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, (string[] Names, Array Values)> Cache = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Of(typeof(TEnum), value);

    public static string Of(Type enumType, object value) => Kebab(Enum.GetName(enumType, value)
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {enumType.Name} member."));

    /// <summary>Every wire name of an enum, in declaration order (for error messages).</summary>
    public static IReadOnlyList<string> All(Type enumType) => Entry(enumType).Names;

    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        var ok = TryParse(typeof(TEnum), text, out var boxed);
        value = ok ? (TEnum)boxed! : default;
        return ok;
    }

    public static bool TryParse(Type enumType, string text, out object? value)
    {
        var (names, values) = Entry(enumType);
        var i = Array.IndexOf(names, text);
        value = i >= 0 ? values.GetValue(i) : null;
        return i >= 0;
    }

    private static (string[] Names, Array Values) Entry(Type enumType) => Cache.GetOrAdd(enumType, t =>
    {
        return (Enum.GetNames(t).Select(Kebab).ToArray(), Enum.GetValues(t));
    });

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(pascal[i - 1])) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
