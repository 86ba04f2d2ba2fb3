using CasePathway.Host.Web;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list's query string (<c>tenant, team, worker, rule, asAt, within</c>), shared by the page
/// and its CSV export so the export holds exactly the rows the page shows.
/// </summary>
public sealed record BreachListParameters(string? Tenant, string? Team, string? Worker, string? Rule, string? AsAt, string? Within)
{
    public const int DefaultWithinWorkingDays = 5;

    public static BreachListParameters From(IQueryCollection query) =>
        Of(query["tenant"], query["team"], query["worker"], query["rule"], query["asAt"], query["within"]);

    /// <summary>The parameters as given, blank values taken as absent.</summary>
    public static BreachListParameters Of(string? tenant, string? team, string? worker, string? rule, string? asAt, string? within) =>
        new(Clean(tenant), Clean(team), Clean(worker), Clean(rule), Clean(asAt), Clean(within));

    /// <summary>The request, or null with every problem named by its field.</summary>
    public BreachListRequest? ToRequest(FieldProblems problems)
    {
        var tenant = QueryParameters.Tenant(problems, Tenant);
        var team = QueryParameters.Text(problems, "team", Team);
        var worker = QueryParameters.Text(problems, "worker", Worker);
        var rule = QueryParameters.Key(problems, "rule", Rule);
        var asAt = QueryParameters.AsAt(problems, AsAt);
        var within = DefaultWithinWorkingDays;
        if (Within is not null && (!int.TryParse(Within, out within) || within is < 0 or > 60))
            problems.Add("within", "must be a whole number of working days from 0 to 60");
        return problems.Any ? null : new BreachListRequest(tenant!, asAt, team, worker, rule, within);
    }

    /// <summary>The tenant when it could be one (for the filter choices), else null: a refused value is never queried.</summary>
    public string? UsableTenant => Tenant is not null && Domain.Events.DoorLimits.TenantProblem(Tenant) is null ? Tenant : null;

    /// <summary>The same query as a query string (empty values left out), for links and the CSV export.</summary>
    public string ToQueryString()
    {
        var pairs = new[] { ("tenant", Tenant), ("team", Team), ("worker", Worker), ("rule", Rule), ("asAt", AsAt), ("within", Within) }
            .Where(p => p.Item2 is not null)
            .Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2));
        return QueryString.Create(pairs).ToUriComponent();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
