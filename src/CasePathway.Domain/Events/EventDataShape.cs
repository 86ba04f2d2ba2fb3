using System.Collections.Concurrent;
using System.Reflection;

namespace CasePathway.Domain.Events;

/// <summary>What kind of JSON value a catalogue field takes.</summary>
internal enum DataFieldKind { Text, Flag, Choice, Uuid, Attendance }

/// <summary>One field of an event's <c>data</c>: its wire name, kind and whether it must be present.</summary>
internal sealed record DataField(string Name, DataFieldKind Kind, Type ClrType, bool Required, PropertyInfo Property)
{
    /// <summary>
    /// An id linking events (<c>contactId</c>, <c>planId</c>) or naming a clock or a code (<c>rule</c>, <c>episode</c>,
    /// <c>reason</c>), held to the key limit; other text (team, worker, source, note) is free text.
    /// </summary>
    public bool IsKey => Kind == DataFieldKind.Text && (Name.EndsWith("Id", StringComparison.Ordinal) || Name is "rule" or "episode" or "reason");

    /// <summary>The field's value (boxed), by a compiled getter: every event's fields are read at the door and for its canonical JSON.</summary>
    public Func<object, object?> Read { get; } = Getter(Property);

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var data = System.Linq.Expressions.Expression.Parameter(typeof(object), "data");
        var read = System.Linq.Expressions.Expression.Convert(
            System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Convert(data, property.DeclaringType!), property), typeof(object));
        return System.Linq.Expressions.Expression.Lambda<Func<object, object?>>(read, data).Compile();
    }
}

/// <summary>
/// The fields of a catalogue record, read once from its primary constructor. The constructor's order is
/// the canonical property order, so the canonical JSON cannot drift from the catalogue.
/// </summary>
internal sealed class EventDataShape
{
    private static readonly ConcurrentDictionary<Type, EventDataShape> Cache = new();
    private static readonly NullabilityInfoContext Nullability = new();

    private readonly ConstructorInfo _constructor;

    private EventDataShape(Type type)
    {
        _constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        Fields = _constructor.GetParameters().Select(p => Describe(type, p)).ToArray();
    }

    public IReadOnlyList<DataField> Fields { get; }

    /// <summary>
    /// True when the record's fields are all optional but at least one must be given (ChildSeen links to
    /// some episode; CaseAllocated names a team or a worker).
    /// </summary>
    public bool NeedsOneField => Fields.Count > 1 && Fields.All(f => !f.Required);

    public static EventDataShape Of(Type type) => Cache.GetOrAdd(type, t => new EventDataShape(t));

    public IPathwayEventData Create(object?[] values) => (IPathwayEventData)_constructor.Invoke(values);

    private static DataField Describe(Type owner, ParameterInfo p)
    {
        var name = char.ToLowerInvariant(p.Name![0]) + p.Name[1..];
        var property = owner.GetProperty(p.Name) ?? throw new InvalidOperationException($"{owner.Name}.{p.Name} has no property.");
        var underlying = Nullable.GetUnderlyingType(p.ParameterType);
        var clr = underlying ?? p.ParameterType;
        // NullabilityInfoContext is not thread-safe, and two first uses of one type can describe it at once.
        bool required;
        lock (Nullability) required = underlying is null && (clr.IsValueType || Nullability.Create(p).WriteState == NullabilityState.NotNull);
        var kind = clr == typeof(string) ? DataFieldKind.Text
            : clr == typeof(bool) ? DataFieldKind.Flag
            : clr == typeof(Guid) ? DataFieldKind.Uuid
            : clr == typeof(Attendance) ? DataFieldKind.Attendance
            : clr.IsEnum ? DataFieldKind.Choice
            : throw new InvalidOperationException($"{owner.Name}.{p.Name}: no JSON form for {clr.Name}.");
        return new DataField(name, kind, clr, required, property);
    }
}
