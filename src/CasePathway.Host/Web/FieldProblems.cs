namespace CasePathway.Host.Web;

/// <summary>
/// Collects every problem found in a request, each under the field it concerns, so a rejection lists
/// them all at once (RFC 9457 validation problem: <c>errors: {field: [messages]}</c>).
/// </summary>
public sealed class FieldProblems
{
    private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

    public bool Any => byField.Count > 0;

    public FieldProblems Add(string field, string problem)
    {
        if (!byField.TryGetValue(field, out var list)) byField[field] = list = [];
        list.Add(problem);
        return this;
    }

    /// <summary>The problems of one field, joined, or null when it has none (for the message beside its input).</summary>
    public string? For(string field) => byField.TryGetValue(field, out var list) ? string.Join("; ", list) : null;

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line per problem, "field: problem", for a detail text or an error summary.</summary>
    public IEnumerable<(string Field, string Problem)> All() =>
        byField.SelectMany(p => p.Value.Select(v => (p.Key, v)));

    /// <summary>400 application/problem+json with the errors map.</summary>
    public IResult ToResult(string title = "The request has problems") =>
        TypedResults.ValidationProblem(
            ToDictionary().ToDictionary(p => p.Key, p => p.Value),
            detail: string.Join("; ", All().Select(p => $"{p.Field}: {p.Problem}")),
            title: title);
}
