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

    /// <summary>As above, with the council's own settings: its rulebook, calendar and reasons for delay (<see cref="BreachReasons.Check"/>).</summary>
    public static IReadOnlyList<FieldError> Check(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, TenantContext context)
    {
        var rulebook = context.Rulebook;
        var errors = CheckFields(incoming).ToList();
        if (incoming.Data is EventRetracted { RetractedId: var target } && target != Guid.Empty && existing.All(e => e.Id != target))
            errors.Add(new FieldError("data.retractedId", $"no event {target} in child {incoming.Child}'s pathway to retract"));
        if (errors.Count == 0) errors.AddRange(CheckOrder(existing, incoming, rulebook));
        if (errors.Count == 0) errors.AddRange(BreachReasons.Check(existing, incoming, context));
        return errors.Distinct().ToList();
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

    private static IEnumerable<FieldError> CheckOrder(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, Rulebook rulebook)
    {
        // Only the rules the incoming event starts, stops or cancels can refuse it; most events (allocations,
        // outcomes) are none of these, and the child's timeline is not folded for them at all.
        var relevant = rulebook.Rules.Where(r => r.Start.Matches(incoming) || r.Stops.Any(t => t.Matches(incoming)) || r.Cancels.Any(t => t.Matches(incoming))).ToList();
        if (relevant.Count == 0) yield break;
        var timeline = ClockFold.Timeline(existing, Instant.MaxValue);
        var links = EpisodeLinks.From(timeline.Append(incoming),
            rulebook.Rules.SelectMany(r => r.Stops.Concat(r.Cancels)).Select(t => t.Via).OfType<EpisodeLink>());

        foreach (var rule in relevant)
        {
            var startsByEpisode = timeline
                .Where(rule.Start.Matches)
                .Select(e => (Event: e, Episode: rule.Start.EpisodeOf(e.Data, links)))
                .Where(x => x.Episode is not null)
                .GroupBy(x => x.Episode!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Event, StringComparer.Ordinal);
            var enders = rule.Stops.Concat(rule.Cancels).ToList();

            // An incoming stop or cancel before its episode's start.
            foreach (var trigger in enders.Where(t => t.Matches(incoming)))
            {
                if (trigger.EpisodeOf(incoming.Data, links) is not { } episode) continue;
                if (startsByEpisode.GetValueOrDefault(episode) is { } start && incoming.OccurredAt.IsBefore(start.OccurredAt))
                    yield return BeforeStart(incoming, start, trigger.EpisodeField, EventFields.Read(incoming.Data, trigger.EpisodeField)!);
            }

            // An incoming start after a stop or cancel already recorded for its episode.
            if (rule.Start.Matches(incoming) && rule.Start.EpisodeOf(incoming.Data, links) is { } started)
            {
                if (startsByEpisode.GetValueOrDefault(started) is { } earlier && !incoming.OccurredAt.IsBefore(earlier.OccurredAt))
                    continue; // not the start that counts
                foreach (var e in timeline)
                {
                    var trigger = enders.FirstOrDefault(t => t.Matches(e) && t.EpisodeOf(e.Data, links) == started);
                    if (trigger is not null && e.OccurredAt.IsBefore(incoming.OccurredAt))
                        yield return new FieldError("occurredAt",
                            $"{incoming.Type} ({rule.Start.EpisodeField} {started}) occurred at {incoming.OccurredAt}, after {e.Type} of the same episode at {e.OccurredAt}: it must come first");
                }
            }
        }
    }

    private static FieldError BeforeStart(PathwayEvent incoming, PathwayEvent start, string field, string id) =>
        new("occurredAt", $"{incoming.Type} ({field} {id}) occurred at {incoming.OccurredAt}, before its {start.Type} at {start.OccurredAt}");
}
