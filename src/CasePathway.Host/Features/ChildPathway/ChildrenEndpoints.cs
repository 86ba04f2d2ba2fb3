using System.ComponentModel;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Web;
using NodaTime;
using Wolverine.Http;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary>
/// <c>GET /api/children/{tenant}/{child}?asAt=</c>: a child's timeline and clocks, now or as the authority
/// knew them at an instant, with the events recorded afterwards apart in <c>recordedLater</c>.
/// </summary>
public static class ChildrenEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "A child's pathway: timeline and clocks, now or as at an instant";
        chain.EndpointDescription = "The events recorded after the as-at instant are apart, in recordedLater. 404 for a child the tenant does not have.";
        chain.Metadata
            .WithTags("Children")
            .Produces<ChildPathway>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverineGet("/api/children/{tenant}/{child}", OperationId = "GetChildPathway")]
    public static async Task<IResult> GetAsync(
        HttpContext context,
        [Description("The local authority")] string tenant,
        [Description("The child's id within the tenant")] string child,
        [Description("Replay as known at this instant: 2024-03-12T12:00:00Z, or a London local date-time 2024-03-12T12:00")] string? asAt,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var validTenant = QueryParameters.Tenant(problems, tenant);
        var validChild = QueryParameters.Child(problems, child);
        var at = QueryParameters.AsAt(problems, asAt);
        if (problems.Any) return problems.ToResult("The pathway request has problems");
        if (context.RequestServices.GetService<IChildPathwaySource>() is not { } source) return ApiEndpoints.Unavailable();
        (tenant, child) = (validTenant!, validChild!);
        ChildPathway? pathway;
        try
        {
            pathway = await source.GetAsync(tenant, child, at, cancellationToken);
        }
        catch (ChildRecordUnfoldableException e)
        {
            return ApiEndpoints.Problem(StatusCodes.Status409Conflict, "The child's record cannot be counted", "child", e.Message);
        }
        if (pathway is null)
            return ApiEndpoints.Problem(StatusCodes.Status404NotFound, "No such child", "child", $"no events are recorded for child {child} in tenant {tenant}");
        return Results.Ok(pathway);
    }
}
