using CasePathway.Domain.Clocks;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>A child's pathway: timeline and clocks, now or as the authority knew it at an instant.</summary>
public sealed class ChildModel(IServiceProvider services) : PageModel
{
    public string Tenant { get; private set; } = "";
    public string Child { get; private set; } = "";
    public string? AsAtText { get; private set; }
    public ChildPathway? Pathway { get; private set; }
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }
    public bool PathwayMissing { get; private set; }
    public string? Unfoldable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string tenant, string child, CancellationToken cancellationToken)
    {
        Tenant = tenant;
        Child = child;
        AsAtText = string.IsNullOrWhiteSpace(Request.Query["asAt"]) ? null : Request.Query["asAt"].ToString().Trim();
        if (services.GetService<IChildPathwaySource>() is not { } source)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        var asAt = QueryParameters.AsAt(Problems, AsAtText);
        if (QueryParameters.Tenant(Problems, tenant) is null) Tenant = Domain.Events.DoorLimits.Shown(tenant);
        if (QueryParameters.Child(Problems, child) is null) Child = Domain.Events.DoorLimits.Shown(child);
        if (Problems.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        try
        {
            Pathway = await source.GetAsync(tenant, child, asAt, cancellationToken);
        }
        catch (ChildRecordUnfoldableException e)
        {
            Unfoldable = e.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        if (Pathway is null)
        {
            PathwayMissing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    public string AsAtInputValue =>
        Pathway is { IsAsAt: true } p ? Web.AsAtText.ForInput(p.AsAt) : AsAtText ?? "";

    public string SelfHref => $"/children/{Uri.EscapeDataString(Tenant)}/{Uri.EscapeDataString(Child)}";
}
