using CasePathway.Projections.Tenants;
using Microsoft.Extensions.Options;

namespace CasePathway.Host.Web;

/// <summary>
/// The name in the header: the selected tenant's own name from its configuration file (<c>name</c>),
/// else the configured council name (<c>CasePathway:CouncilName</c>).
/// </summary>
public sealed class CouncilNames(IOptions<CouncilOptions> options, IServiceProvider services)
{
    public string For(string? tenant)
    {
        if (!string.IsNullOrWhiteSpace(tenant)
            && services.GetService<TenantDirectory>()?.Configured.FirstOrDefault(t => t.Tenant == tenant) is { Name: { Length: > 0 } name })
            return name;
        return options.Value.CouncilName;
    }

    /// <summary>The tenant a request is about: the route's <c>{tenant}</c>, else the <c>tenant</c> query value.</summary>
    public string For(HttpContext context) =>
        For(context.GetRouteValue("tenant") as string ?? context.Request.Query["tenant"].FirstOrDefault());
}
