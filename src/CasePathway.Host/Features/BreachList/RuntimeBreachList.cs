using CasePathway.Host.Runtime;
using NodaTime;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The pages' and the API's read sources over the runtime's queries. Answers from projections read them as
/// the server's daemon has them (no catch-up per request: readiness says how far behind they are).
/// </summary>
public sealed class RuntimeBreachList(CasePathwayRuntime runtime) : IBreachListSource
{
    public Task<BreachList> GetAsync(BreachListRequest request, CancellationToken cancellationToken)
        => runtime.BreachList.GetAsync(request, cancellationToken);

    public async Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken)
    {
        var choices = await runtime.BreachFilters.GetAsync(tenant, cancellationToken);
        return new BreachFilterOptions(
            choices.Tenants, choices.Teams, choices.Workers,
            choices.Rules.Select(r => new RuleOption(r.Rule, r.Title)).ToList());
    }
}

