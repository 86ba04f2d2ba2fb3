using CasePathway.Domain.Time;
using System.Reflection;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>
/// Decides whether an incoming event may join a child's stream: required ids present, retractions of
/// events that exist, and no stop or cancel before the start of its episode (in either arrival order).
/// Pure; the caller loads the child's existing events.
/// </summary>
public static class PathwayValidation
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static IReadOnlyList<FieldError> Check(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, Rulebook rulebook) =>
        Check(existing, incoming, new TenantContext(new TenantSettings(incoming.Tenant), rulebook, Calendar.WorkingCalendar.EnglandAndWales()));

    /// <summary>
    /// As above, with the council's own settings: its rulebook, calendar and reasons for delay
    /// (<see cref="BreachReasons.Check"/>). The one way in keeps a <see cref="PathwayCheck"/> per child instead, so
    /// that a batch's events are checked one after another without rebuilding the child's timeline for each.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, TenantContext context)
    {
        var check = new PathwayCheck(context);
        foreach (var e in existing) check.Add(e);
        return check.Check(incoming);
    }

    /// <summary>Checks of one event on its own: tenant, child and every required id present and not blank.</summary>
    public static IEnumerable<FieldError> CheckFields(PathwayEvent e)
    {
        if (string.IsNullOrWhiteSpace(e.Tenant)) yield return new FieldError("tenant", "required, must not be blank");
        if (string.IsNullOrWhiteSpace(e.Child)) yield return new FieldError("child", "required, must not be blank");
        if (e.Data is EventRetracted { RetractedId: var id } && id == Guid.Empty)
            yield return new FieldError("data.retractedId", "required, must be the id of the event recorded in error");
        foreach (var (name, read) in RequiredText(e.Data.GetType()))
        {
            if (string.IsNullOrWhiteSpace(read(e.Data)))
                yield return new FieldError($"data.{name}", $"required for {e.Type}, must not be blank");
        }
    }

    // Which of a type's string fields are required (not nullable) is fixed per type; asking reflection's
    // nullability per event was the larger part of checking one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string Name, Func<IPathwayEventData, string?> Read)[]> Required = new();

    private static (string Name, Func<IPathwayEventData, string?> Read)[] RequiredText(Type type) =>
        Required.GetOrAdd(type, static t =>
        {
            lock (Nullability)
            {
                return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.PropertyType == typeof(string) && Nullability.Create(p).ReadState != NullabilityState.Nullable)
                    .Select(p => $"{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}")
                    .Select(name => (name, (Func<IPathwayEventData, string?>)(d => EventFields.Read(d, name))))
                    .ToArray();
            }
        });
}
