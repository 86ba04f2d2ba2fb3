using CasePathway.Domain.Events;

namespace CasePathway.Domain.Rules;

/// <summary>
/// Every timescale the engine measures, as data (Rules/rulebook.json, docs/rulebook.md), with the
/// capabilities of the source systems events come from. A tenant changes limits or disables rules with
/// an override file, never with code.
/// </summary>
public sealed class Rulebook
{
    private static readonly Lazy<Rulebook> Embedded = new(LoadEmbedded);

    public Rulebook(IReadOnlyList<Rule> rules, IEnumerable<SourceCapability> sources)
    {
        Rules = rules;
        Sources = sources.ToDictionary(s => s.System, StringComparer.Ordinal);
    }

    /// <summary>All rules, enabled or not, in the rulebook's order.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    public IEnumerable<Rule> Enabled => Rules.Where(r => r.Enabled);

    public IReadOnlyDictionary<string, SourceCapability> Sources { get; }

    /// <summary>The national defaults of timescales.md, embedded in the assembly.</summary>
    public static Rulebook Default => Embedded.Value;

    public Rule? Find(string id) => Rules.FirstOrDefault(r => r.Id == id);

    public Rule this[string id] => Find(id) ?? throw new KeyNotFoundException($"no rule '{id}'");

    /// <summary>Reads and validates a whole rulebook file; <see cref="RulebookException"/> names every problem.</summary>
    public static Rulebook Load(string json) => RulebookFile.ToRulebook(RulebookFile.Parse<RulebookDocument>(json, "rulebook"));

    /// <summary>The default rulebook with a tenant's override file applied.</summary>
    public static Rulebook WithOverrides(string overridesJson) => Default.Override(overridesJson);

    /// <summary>
    /// This rulebook with an override file applied: <c>{"rules": {"referral-decision": {"limit":
    /// {"amount": 24, "unit": "elapsed-hours"}}, "early-help-assessment": {"enabled": false}}}</c>.
    /// </summary>
    public Rulebook Override(string overridesJson) =>
        RulebookFile.Apply(this, RulebookFile.Parse<OverridesDocument>(overridesJson, "override"));

    /// <summary>Why a clock started by an event from <paramref name="sourceSystem"/> cannot be measured, or null when it can.</summary>
    public string? WhyNotMeasurable(Rule rule, string? sourceSystem)
    {
        if (sourceSystem is null || !Sources.TryGetValue(sourceSystem, out var source)) return null;
        // Asked of every clock still open at every fold: the common answer (some stop can be shown) allocates nothing.
        for (var i = 0; i < rule.Stops.Count; i++)
            if (source.CannotShow(rule.Stops[i]) is null) return null;
        var unshown = rule.Stops.Select(source.CannotShow);
        return $"{sourceSystem} cannot record {string.Join(" or ", unshown.Distinct(StringComparer.Ordinal))}, so no breach is claimed";
    }

    private static Rulebook LoadEmbedded()
    {
        using var stream = typeof(Rulebook).Assembly.GetManifestResourceStream("CasePathway.Domain.Rules.rulebook.json")
            ?? throw new RulebookException("rulebook: the embedded rulebook.json is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Load(reader.ReadToEnd());
    }
}
