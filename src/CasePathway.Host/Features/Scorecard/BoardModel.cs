using CasePathway.Domain.Time;
using CasePathway.Host.Security;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>
/// The board paper: the headline table of every indicator, then the charts, each with its numbers in a table.
/// Opens on the signed-in person's council (the only or first of theirs) and the last complete month.
/// No child identifiers.
/// </summary>
public sealed class BoardModel(IServiceProvider services, IClock clock, CouncilNames names) : PageModel
{
    private static readonly YearMonthPattern MonthPattern = YearMonthPattern.Iso;

    public string? Tenant { get; private set; }
    public YearMonth Month { get; private set; }
    public Board? Board { get; private set; }
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }

    /// <summary>The councils the person may see, by id, with their names: the only choices offered.</summary>
    public IReadOnlyList<(string Id, string Name)> Councils { get; private set; } = [];

    /// <summary>Whether the person may follow a figure to the children behind it (the drill-down is qa-lead's).</summary>
    public bool MayDrillDown { get; private set; }

    public string MonthText => MonthPattern.Format(Month);

    public async Task<IActionResult> OnGetAsync(string? tenant, string? month, CancellationToken cancellationToken)
    {
        Councils = User.Councils().Order(StringComparer.Ordinal).Select(c => (c, names.OwnName(c) ?? c)).ToList();
        MayDrillDown = AccessPolicies.RolesOf[AccessPolicies.DrillDown].Any(User.RolesOf().Contains);
        // the board reviews the last complete month unless told otherwise
        var lastComplete = London.DateOf(clock.GetCurrentInstant()).ToYearMonth().PlusMonths(-1);
        // nothing chosen yet: the person's own council (the first when they have several) and the last complete month
        if (string.IsNullOrWhiteSpace(tenant) && Councils.Count > 0)
            return Redirect($"/board?tenant={Uri.EscapeDataString(Councils[0].Id)}&month={Uri.EscapeDataString(string.IsNullOrWhiteSpace(month) ? MonthPattern.Format(lastComplete) : month.Trim())}");
        Tenant = QueryParameters.Tenant(Problems, tenant, required: false);
        Month = QueryParameters.Month(Problems, month, required: false) ?? lastComplete;
        ViewData["Tenant"] = Tenant;
        if (services.GetService<IBoardSource>() is not { } source)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        if (Problems.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Tenant is not null) Board = await source.GetAsync(Tenant, Month, cancellationToken);
        return Page();
    }

    /// <summary>The drill-down behind a figure (JSON: the children and clocks counted), for those who may see it.</summary>
    public string? DrillDownHref(string indicator) =>
        MayDrillDown && Tenant is not null
            ? $"/api/scorecard/{Uri.EscapeDataString(indicator)}/children?tenant={Uri.EscapeDataString(Tenant)}&month={MonthText}"
            : null;
}
