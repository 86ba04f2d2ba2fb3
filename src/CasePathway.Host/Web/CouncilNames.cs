using CasePathway.Projections.Tenants;
using Microsoft.Extensions.Options;

namespace CasePathway.Host.Web;

/// <summary>
/// The name in the header: the selected tenant's own name from its configuration file (<c>name</c>),
/// else the configured council name (<c>CasePathway:CouncilName</c>).
/// </summary>
public sealed class CouncilNames(IOptions<CouncilOptions> options, IServiceProvider services)
{
    public string For(string? tenant) => OwnName(tenant) ?? options.Value.CouncilName;

    /// <summary>The tenant's own name from its configuration file; null when it has none.</summary>
    public string? OwnName(string? tenant) =>
        !string.IsNullOrWhiteSpace(tenant)
        && services.GetService<TenantDirectory>()?.Configured.FirstOrDefault(t => t.Tenant == tenant) is { Name: { Length: > 0 } name }
            ? name
            : null;

    /// <summary>
    /// Whether <paramref name="name"/> names a council, rather than being the product's own name (the default
    /// when neither the tenant nor the host names one): the footer then does not say "CasePathway for CasePathway".
    /// </summary>
    public static bool IsCouncil(string name) => !string.Equals(name, Product, StringComparison.Ordinal);

    public const string Product = "CasePathway";

    /// <summary>The tenant a request is about: the route's <c>{tenant}</c>, else the <c>tenant</c> query value.</summary>
    public string For(HttpContext context) =>
        For(context.GetRouteValue("tenant") as string ?? context.Request.Query["tenant"].FirstOrDefault());
}
