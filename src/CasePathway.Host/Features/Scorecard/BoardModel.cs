using CasePathway.Domain.Time;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>The board's monthly deep dive: charts, each with its numbers in a table. No child identifiers.</summary>
public sealed class BoardModel(IServiceProvider services, IClock clock) : PageModel
{
    private static readonly YearMonthPattern MonthPattern = YearMonthPattern.Iso;

    public string? Tenant { get; private set; }
    public YearMonth Month { get; private set; }
    public Board? Board { get; private set; }
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }

    public string MonthText => MonthPattern.Format(Month);

    public async Task<IActionResult> OnGetAsync(string? tenant, string? month, CancellationToken cancellationToken)
    {
        Tenant = QueryParameters.Tenant(Problems, tenant, required: false);
        // the board reviews the last complete month unless told otherwise
        Month = QueryParameters.Month(Problems, month, required: false) ?? London.DateOf(clock.GetCurrentInstant()).ToYearMonth().PlusMonths(-1);
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
}
