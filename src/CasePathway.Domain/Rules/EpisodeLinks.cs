using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

/// <summary>
/// The id-to-episode links established by a child's events (e.g. AssessmentStarted: assessmentId →
/// referralId). The earliest event establishing a link wins, so build from events in occurrence order.
/// </summary>
public sealed class EpisodeLinks
{
    private readonly Dictionary<(string Event, string Key, string Value), string> _links = new();

    /// <summary>No links (shared: nothing adds to an instance once it is made).</summary>
    internal static EpisodeLinks None { get; } = new();

    public static EpisodeLinks From(IEnumerable<PathwayEvent> ordered, IEnumerable<EpisodeLink> kinds)
    {
        var links = new EpisodeLinks();
        var distinct = kinds.Distinct().ToList();
        foreach (var e in ordered)
        {
            foreach (var kind in distinct)
                if (LinkOf(e, kind) is { } link) links._links.TryAdd(link.Key, link.Episode);
        }
        return links;
    }

    public string? Resolve(EpisodeLink kind, string key) => _links.GetValueOrDefault((kind.Event, kind.Key, key));

    /// <summary>
    /// These links with <paramref name="next"/>'s added after them (as if it came last in <see cref="From"/>'s order), or
    /// null when it adds none: <paramref name="kinds"/> distinct. A check of one incoming event against a child's
    /// links kept from event to event (<see cref="Clocks.PathwayCheck"/>) needs them without reading the child again.
    /// </summary>
    internal EpisodeLinks? With(PathwayEvent next, IReadOnlyList<EpisodeLink> kinds)
    {
        EpisodeLinks? with = null;
        foreach (var kind in kinds)
        {
            if (LinkOf(next, kind) is not { } link || _links.ContainsKey(link.Key)) continue;
            with ??= Copy();
            with._links.TryAdd(link.Key, link.Episode);
        }
        return with;
    }

    /// <summary>The link <paramref name="e"/> makes as a <paramref name="kind"/>, or null (another type, or a blank key or episode).</summary>
    private static ((string Event, string Key, string Value) Key, string Episode)? LinkOf(PathwayEvent e, EpisodeLink kind)
    {
        if (kind.Event != e.Type) return null;
        var key = EventFields.Read(e.Data, kind.Key);
        var episode = EventFields.Read(e.Data, kind.Episode);
        return string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(episode) ? null : ((kind.Event, kind.Key, key), episode);
    }

    private EpisodeLinks Copy()
    {
        var copy = new EpisodeLinks();
        foreach (var (key, episode) in _links) copy._links.Add(key, episode);
        return copy;
    }
}
