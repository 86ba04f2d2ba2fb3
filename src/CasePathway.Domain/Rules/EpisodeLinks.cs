using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

/// <summary>
/// The id-to-episode links established by a child's events (e.g. AssessmentStarted: assessmentId →
/// referralId). The earliest event establishing a link wins, so build from events in occurrence order.
/// </summary>
public sealed class EpisodeLinks
{
    private readonly Dictionary<(string Event, string Key, string Value), string> _links = new();

    public static EpisodeLinks From(IEnumerable<PathwayEvent> ordered, IEnumerable<EpisodeLink> kinds)
    {
        var links = new EpisodeLinks();
        var distinct = kinds.Distinct().ToList();
        foreach (var e in ordered)
        {
            foreach (var kind in distinct.Where(k => k.Event == e.Type))
            {
                var key = EventFields.Read(e.Data, kind.Key);
                var episode = EventFields.Read(e.Data, kind.Episode);
                if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(episode)) continue;
                links._links.TryAdd((kind.Event, kind.Key, key), episode);
            }
        }
        return links;
    }

    public string? Resolve(EpisodeLink kind, string key) => _links.GetValueOrDefault((kind.Event, kind.Key, key));
}
