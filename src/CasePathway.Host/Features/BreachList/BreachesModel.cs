using CasePathway.Host.Web;
using CasePathway.Host.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CasePathway.Host.Features.BreachList;

/// <summary>The breach list: open clocks that are overdue or fall due soon, filtered by a GET form.</summary>
public sealed class BreachesModel(IServiceProvider services) : PageModel
{
    public BreachListParameters Query { get; private set; } = new(null, null, null, null, null, null);
    public BreachFilterOptions Options { get; private set; } = new([], [], [], []);
    public BreachList? List { get; private set; }
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Query = BreachListParameters.From(Request.Query);
        if (services.GetService<IBreachListSource>() is not { } source)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        Options = MayChoose(await source.GetFilterOptionsAsync(Query.UsableTenant, cancellationToken));
        // with one tenant there is nothing to choose: show its list straight away
        if (Query.Tenant is null && Options.Tenants.Count == 1)
            return Redirect("/breaches" + (Query with { Tenant = Options.Tenants[0], Team = Query.Team ?? OwnTeam }).ToQueryString());
        // a duty manager's list is their team's: the page without one opens on the first of theirs
        if (Query.Tenant is not null && Query.Team is null && OwnTeam is { } team)
            return Redirect("/breaches" + (Query with { Team = team }).ToQueryString());
        var request = Query.ToRequest(Problems);
        if (request is null)
        {
            // a first visit (no tenant chosen yet) is a question, not an error
            if (Query.Tenant is not null || Problems.All().Count() > 1) Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        List = await source.GetAsync(request, cancellationToken);
        await Security.AccessAudit.RecordChildrenAsync(HttpContext, List.Rows.Select(r => r.Child), cancellationToken);
        return Page();
    }

    /// <summary>The first of a team-scoped duty manager's teams; null for everyone else.</summary>
    private string? OwnTeam => User.IsTeamScoped() ? User.Teams().Order(StringComparer.Ordinal).FirstOrDefault() : null;

    /// <summary>Only the councils (and, for a duty manager, the teams) the signed-in person may read are offered.</summary>
    private BreachFilterOptions MayChoose(BreachFilterOptions options) => options with
    {
        Tenants = options.Tenants.Where(User.MayReadCouncil).ToList(),
        Teams = User.IsTeamScoped() ? options.Teams.Where(User.Teams().Contains).ToList() : options.Teams,
    };

    public string RuleTitle(string rule) =>
        Options.Rules.FirstOrDefault(r => r.Id == rule)?.Title
        ?? List?.Rows.FirstOrDefault(r => r.Rule == rule)?.RuleTitle
        ?? rule;

    public string CsvHref => "/breaches.csv" + Query.ToQueryString();

    /// <summary>The list narrowed to one rule, from its first page.</summary>
    public string FilterHref(string rule) => "/breaches" + (Query with { Rule = rule, Page = null }).ToQueryString();

    /// <summary>The list narrowed to one team ("" is the clocks with no team, which no filter selects).</summary>
    public string? TeamHref(string team) => team == "" ? null : "/breaches" + (Query with { Team = team, Page = null }).ToQueryString();

    /// <summary>Another page of the same list.</summary>
    public string PageHref(int page) => "/breaches" + (Query with { Page = page == 1 ? null : page.ToString() }).ToQueryString();

    /// <summary>
    /// A column heading's link: the list sorted by that column, from its first page; the column already
    /// sorted by flips its direction.
    /// </summary>
    public string SortHref(BreachSort sort)
    {
        var name = BreachSorts.Name(sort);
        var descending = List is { } l && l.Sort == name ? l.Direction == "asc" : BreachSorts.DescendingByDefault(sort);
        var direction = descending == BreachSorts.DescendingByDefault(sort) ? null : (descending ? "desc" : "asc");
        return "/breaches" + (Query with { Sort = sort == BreachSort.Due ? (direction is null ? null : name) : name, Direction = direction, Page = null }).ToQueryString();
    }

    /// <summary>aria-sort for a column heading: only the column the list is sorted by says a direction.</summary>
    public string AriaSort(BreachSort sort) =>
        List is { } l && l.Sort == BreachSorts.Name(sort) ? (l.Direction == "asc" ? "ascending" : "descending") : "none";

    /// <summary>The pages to offer: the first, the last, and two either side of the current one, with gaps as null.</summary>
    public IReadOnlyList<int?> PageNumbers()
    {
        if (List is not { TotalPages: > 1 } l) return [];
        var shown = new SortedSet<int> { 1, l.TotalPages };
        for (var p = l.Page - 2; p <= l.Page + 2; p++) if (p >= 1 && p <= l.TotalPages) shown.Add(p);
        var numbers = new List<int?>();
        int? previous = null;
        foreach (var p in shown)
        {
            if (previous is { } q && p > q + 1) numbers.Add(null);
            numbers.Add(p);
            previous = p;
        }
        return numbers;
    }
}
