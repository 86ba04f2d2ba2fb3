using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// The one way in's rules as first written, every incoming event checked against the child's whole stream rebuilt
/// (timeline, links and starts): the oracle <see cref="PathwayCheckProperties"/> holds <see cref="PathwayCheck"/> to.
/// Kept here, not in Domain, so that the product decides by one implementation.
/// </summary>
internal static class WholeStreamValidation
{
    public static IReadOnlyList<FieldError> Check(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, TenantContext context)
    {
        var errors = PathwayValidation.CheckFields(incoming).ToList();
        if (incoming.Data is EventRetracted { RetractedId: var target } && target != Guid.Empty && existing.All(e => e.Id != target))
            errors.Add(new FieldError("data.retractedId", $"no event {target} in child {incoming.Child}'s pathway to retract"));
        if (errors.Count == 0) errors.AddRange(CheckOrder(existing, incoming, context.Rulebook));
        if (errors.Count == 0) errors.AddRange(BreachReasons.Check(existing, incoming, context));
        return errors.Distinct().ToList();
    }

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
