
namespace CasePathway.Host.Features.BreachList;

// What the pages and the API read. The projections' queries implement these; the web layer never
// queries the database itself. A page whose source is not registered says so (503) rather than guess.

/// <summary>The breach list, and the choices its filters offer.</summary>
public interface IBreachListSource
{
    Task<BreachList> GetAsync(BreachListRequest request, CancellationToken cancellationToken);

    /// <summary>Tenants, and the teams, workers and rules seen in <paramref name="tenant"/> (empty when null).</summary>
    Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken);
}

public sealed record BreachFilterOptions(
    IReadOnlyList<string> Tenants,
    IReadOnlyList<string> Teams,
    IReadOnlyList<string> Workers,
    IReadOnlyList<RuleOption> Rules);

public sealed record RuleOption(string Id, string Title);

