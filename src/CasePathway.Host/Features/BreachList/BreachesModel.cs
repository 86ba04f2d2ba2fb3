using CasePathway.Host.Web;
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
        Options = await source.GetFilterOptionsAsync(Query.UsableTenant, cancellationToken);
        // with one tenant there is nothing to choose: show its list straight away
        if (Query.Tenant is null && Options.Tenants.Count == 1)
            return Redirect("/breaches" + (Query with { Tenant = Options.Tenants[0] }).ToQueryString());
        var request = Query.ToRequest(Problems);
        if (request is null)
        {
            // a first visit (no tenant chosen yet) is a question, not an error
            if (Query.Tenant is not null || Problems.All().Count() > 1) Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        List = await source.GetAsync(request, cancellationToken);
        return Page();
    }

    public string RuleTitle(string rule) =>
        Options.Rules.FirstOrDefault(r => r.Id == rule)?.Title
        ?? List?.Rows.FirstOrDefault(r => r.Rule == rule)?.RuleTitle
        ?? rule;

    public string CsvHref => "/breaches.csv" + Query.ToQueryString();

    public string FilterHref(string rule) => "/breaches" + (Query with { Rule = rule }).ToQueryString();
}
