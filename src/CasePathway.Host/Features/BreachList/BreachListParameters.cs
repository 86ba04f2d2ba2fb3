using CasePathway.Host.Web;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list's query string (<c>tenant, team, worker, rule, status, asAt, within, sort, direction,
/// page, pageSize</c>), shared by the page, the API and the CSV export so the export holds exactly the list
/// the page pages through.
/// </summary>
public sealed record BreachListParameters(
    string? Tenant, string? Team, string? Worker, string? Rule, string? AsAt, string? Within,
    string? Status = null, string? Sort = null, string? Direction = null, string? Page = null, string? PageSize = null)
{
    public const int DefaultWithinWorkingDays = 5;
    public const int MaxPage = 1_000_000;

    public static BreachListParameters From(IQueryCollection query) =>
        Of(query["tenant"], query["team"], query["worker"], query["rule"], query["asAt"], query["within"],
            query["status"], query["sort"], query["direction"], query["page"], query["pageSize"]);

    /// <summary>The parameters as given, blank values taken as absent.</summary>
    public static BreachListParameters Of(string? tenant, string? team, string? worker, string? rule, string? asAt, string? within,
        string? status = null, string? sort = null, string? direction = null, string? page = null, string? pageSize = null) =>
        new(Clean(tenant), Clean(team), Clean(worker), Clean(rule), Clean(asAt), Clean(within),
            Clean(status), Clean(sort), Clean(direction), Clean(page), Clean(pageSize));

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
        var status = BreachStatusFilter.Any;
        if (Status is not null)
        {
            if (BreachStatusFilters.Parse(Status) is { } s) status = s;
            else problems.Add("status", "must be breached or due-soon");
        }
        var sort = BreachSort.Due;
        if (Sort is not null)
        {
            if (BreachSorts.Parse(Sort) is { } s) sort = s;
            else problems.Add("sort", $"must be one of {string.Join(", ", BreachSorts.All.Select(BreachSorts.Name))}");
        }
        var descending = BreachSorts.DescendingByDefault(sort);
        if (Direction is not null)
        {
            if (Direction is "asc" or "desc") descending = Direction == "desc";
            else problems.Add("direction", "must be asc or desc");
        }
        var page = 1;
        if (Page is not null && (!int.TryParse(Page, out page) || page is < 1 or > MaxPage))
            problems.Add("page", $"must be a whole number from 1 to {MaxPage}");
        var pageSize = BreachListRequest.DefaultPageSize;
        if (PageSize is not null && (!int.TryParse(PageSize, out pageSize) || pageSize is < 1 or > BreachListRequest.MaxPageSize))
            problems.Add("pageSize", $"must be a whole number of rows from 1 to {BreachListRequest.MaxPageSize}");
        return problems.Any ? null : new BreachListRequest(tenant!, asAt, team, worker, rule, within, status, sort, descending, page, pageSize);
    }

    /// <summary>The tenant when it could be one (for the filter choices), else null: a refused value is never queried.</summary>
    public string? UsableTenant => Tenant is not null && Domain.Events.DoorLimits.TenantProblem(Tenant) is null ? Tenant : null;

    /// <summary>The same query as a query string (empty values left out), for links and the CSV export.</summary>
    public string ToQueryString()
    {
        var pairs = new[]
            {
                ("tenant", Tenant), ("team", Team), ("worker", Worker), ("rule", Rule), ("status", Status), ("asAt", AsAt), ("within", Within),
                ("sort", Sort), ("direction", Direction), ("pageSize", PageSize), ("page", Page),
            }
            .Where(p => p.Item2 is not null)
            .Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2));
        return QueryString.Create(pairs).ToUriComponent();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
