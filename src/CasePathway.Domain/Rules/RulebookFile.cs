using System.Text.Json;
using System.Text.Json.Serialization;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

// The JSON shapes of the rulebook and of a tenant's override file (camelCase), and their conversion to
// the domain records with every problem named by rule and field. Unknown properties are errors, so a
// misspelt field cannot silently leave a default in force.

internal sealed record RulebookDocument(List<RuleDocument>? Rules, List<SourceDocument>? Sources);

internal sealed record RuleDocument(
    string? Id, string? Title, TriggerDocument? Start, List<TriggerDocument>? Stops, List<TriggerDocument>? Cancels,
    LimitDocument? Limit, List<LimitDocument>? Then, string? Source, bool? Enabled);

internal sealed record TriggerDocument(string? Event, string? Episode, List<ConditionDocument>? Where, LinkDocument? Via);

internal sealed record LinkDocument(string? Event, string? Key, string? Episode);

internal sealed record ConditionDocument(string? Field, List<JsonElement>? In, List<JsonElement>? NotIn, bool? Present);

internal sealed record LimitDocument(int? Amount, string? Unit);

internal sealed record SourceDocument(string? System, List<string>? CannotRecord, string? Why, List<string>? CannotLink = null);

internal sealed record OverridesDocument(Dictionary<string, RuleOverrideDocument>? Rules);

internal sealed record RuleOverrideDocument(LimitDocument? Limit, List<LimitDocument>? Then, bool? Enabled);

internal static class RulebookFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static T Parse<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new RulebookException($"{what}: the file is empty (null)");
        }
        catch (JsonException ex)
        {
            throw new RulebookException($"{what}: not a valid file at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }

    public static Rulebook ToRulebook(RulebookDocument doc)
    {
        var errors = new List<string>();
        var rules = new List<Rule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var docs = doc.Rules ?? [];
        if (docs.Count == 0) errors.Add("rulebook: field 'rules': no rules");
        for (var i = 0; i < docs.Count; i++)
        {
            var r = docs[i];
            var name = string.IsNullOrWhiteSpace(r.Id) ? $"rules[{i}]" : $"rule '{r.Id}'";
            void Error(string field, string problem) => errors.Add($"rulebook: {name}, field '{field}': {problem}");

            if (string.IsNullOrWhiteSpace(r.Id)) Error("id", "missing");
            else if (!seen.Add(r.Id)) Error("id", "defined twice");
            var start = ToTrigger(r.Start, "start", Error);
            if (r.Start is null) Error("start", "missing");
            var stops = (r.Stops ?? []).Select((t, j) => ToTrigger(t, $"stops[{j}]", Error)).ToList();
            if (stops.Count == 0) Error("stops", "a rule needs at least one stop event");
            var cancels = (r.Cancels ?? []).Select((t, j) => ToTrigger(t, $"cancels[{j}]", Error)).ToList();
            var limit = ToLimit(r.Limit, "limit", Error);
            var then = (r.Then ?? []).Select((l, j) => ToLimit(l, $"then[{j}]", Error)).ToList();
            if (start is null || limit is null || stops.Any(s => s is null) || cancels.Any(c => c is null) || then.Any(l => l is null))
                continue;
            rules.Add(new Rule(r.Id!, r.Title ?? r.Id!, start, stops!, cancels!, limit, then!, r.Source ?? "", r.Enabled ?? true));
        }

        var sources = new List<SourceCapability>();
        foreach (var (s, i) in (doc.Sources ?? []).Select((s, i) => (s, i)))
        {
            var name = string.IsNullOrWhiteSpace(s.System) ? $"sources[{i}]" : $"source '{s.System}'";
            if (string.IsNullOrWhiteSpace(s.System)) errors.Add($"rulebook: {name}, field 'system': missing");
            foreach (var t in s.CannotRecord ?? [])
                if (EventTypes.TypeOf(t) is null) errors.Add($"rulebook: {name}, field 'cannotRecord': unknown event type '{t}'");
            foreach (var l in s.CannotLink ?? [])
                if (l.Split('.') is not [var e, var f] || EventTypes.TypeOf(e) is not { } linkType || EventFields.Property(linkType, f) is null)
                    errors.Add($"rulebook: {name}, field 'cannotLink': '{l}' is not Event.field of a known event type");
            if (!string.IsNullOrWhiteSpace(s.System))
                sources.Add(new SourceCapability(s.System, (s.CannotRecord ?? []).ToHashSet(StringComparer.Ordinal), s.Why ?? "",
                    (s.CannotLink ?? []).ToHashSet(StringComparer.Ordinal)));
        }

        if (errors.Count > 0) throw new RulebookException(string.Join(Environment.NewLine, errors));
        return new Rulebook(rules, sources);
    }

    public static Rulebook Apply(Rulebook book, OverridesDocument doc)
    {
        var errors = new List<string>();
        var byId = book.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var (id, o) in doc.Rules ?? [])
        {
            void Error(string field, string problem) => errors.Add($"override: rule '{id}', field '{field}': {problem}");
            if (!byId.TryGetValue(id, out var rule))
            {
                errors.Add($"override: unknown rule '{id}' (known: {string.Join(", ", book.Rules.Select(r => r.Id))})");
                continue;
            }
            var limit = o.Limit is null ? rule.Limit : ToLimit(o.Limit, "limit", Error);
            var then = o.Then is null ? rule.Then.Select(l => (Limit?)l).ToList() : o.Then.Select((l, j) => ToLimit(l, $"then[{j}]", Error)).ToList();
            if (limit is null || then.Any(l => l is null)) continue;
            byId[id] = rule with { Limit = limit, Then = then.Select(l => l!).ToList(), Enabled = o.Enabled ?? rule.Enabled };
        }
        if (errors.Count > 0) throw new RulebookException(string.Join(Environment.NewLine, errors));
        return new Rulebook(book.Rules.Select(r => byId[r.Id]).ToList(), book.Sources.Values.ToList());
    }

    private static Limit? ToLimit(LimitDocument? doc, string field, Action<string, string> error)
    {
        if (doc is null) { error(field, "missing"); return null; }
        var ok = true;
        if (doc.Amount is not { } amount || amount <= 0) { error($"{field}.amount", $"must be a positive whole number, got {doc.Amount?.ToString() ?? "nothing"}"); ok = false; }
        var unit = TimeUnitNames.Parse(doc.Unit);
        if (unit is null) { error($"{field}.unit", $"unknown unit '{doc.Unit}' (known: {string.Join(", ", TimeUnitNames.All)})"); ok = false; }
        return ok ? new Limit(doc.Amount!.Value, unit!.Value) : null;
    }

    private static Trigger? ToTrigger(TriggerDocument? doc, string field, Action<string, string> error)
    {
        if (doc is null) return null;
        var type = EventTypes.TypeOf(doc.Event ?? "");
        if (type is null) { error($"{field}.event", $"unknown event type '{doc.Event}'"); return null; }
        var ok = true;
        if (string.IsNullOrWhiteSpace(doc.Episode)) { error($"{field}.episode", "missing"); ok = false; }
        else if (EventFields.Property(type, doc.Episode) is null) { error($"{field}.episode", $"{doc.Event} has no field '{doc.Episode}'"); ok = false; }

        var conditions = new List<Condition>();
        foreach (var (c, i) in (doc.Where ?? []).Select((c, i) => (c, i)))
        {
            var at = $"{field}.where[{i}]";
            var property = EventFields.Property(type, c.Field ?? "");
            if (property is null) { error($"{at}.field", $"{doc.Event} has no field '{c.Field}'"); ok = false; continue; }
            if (c.In is null && c.NotIn is null && c.Present is null) { error(at, "needs 'in', 'notIn' or 'present'"); ok = false; continue; }
            var allowed = EventFields.AllowedValues(property);
            List<string?>? Values(List<JsonElement>? list, string name)
            {
                if (list is null) return null;
                var values = list.Select(v => v.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => v.GetString(),
                    _ => v.GetRawText(),
                }).ToList();
                foreach (var v in values.Where(v => v is not null && allowed is not null && !allowed.Contains(v)))
                {
                    error($"{at}.{name}", $"'{v}' is not a value of {doc.Event}.{c.Field} (known: {string.Join(", ", allowed!)})");
                    ok = false;
                }
                return values;
            }
            conditions.Add(new Condition(c.Field!, Values(c.In, "in"), Values(c.NotIn, "notIn"), c.Present));
        }

        EpisodeLink? via = null;
        if (doc.Via is { } v)
        {
            var linkType = EventTypes.TypeOf(v.Event ?? "");
            if (linkType is null) { error($"{field}.via.event", $"unknown event type '{v.Event}'"); return null; }
            if (EventFields.Property(linkType, v.Key ?? "") is null) { error($"{field}.via.key", $"{v.Event} has no field '{v.Key}'"); ok = false; }
            if (EventFields.Property(linkType, v.Episode ?? "") is null) { error($"{field}.via.episode", $"{v.Event} has no field '{v.Episode}'"); ok = false; }
            via = new EpisodeLink(v.Event!, v.Key ?? "", v.Episode ?? "");
        }
        return ok ? new Trigger(doc.Event!, doc.Episode!, conditions, via) : null;
    }
}
