using System.ComponentModel;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using Wolverine.Http;

namespace CasePathway.Host.Features.BreachList;

/// <summary><c>GET /api/breaches</c>: the breach list as JSON — the same query and parameters as the page and its CSV export, a page at a time.</summary>
public static class BreachesEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "Open clocks that are breached or fall due within N working days";
        chain.EndpointDescription = "One page of rows (by default in order of the instant they fall overdue, 50 to a page), with the whole filtered list's total and counts by rule and by team, and the page, page size and number of pages. Reads everything committed before the request.";
        chain.Metadata
            .WithTags("Breaches")
            .Produces<BreachList>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverineGet("/api/breaches", OperationId = "GetBreaches")]
    public static async Task<IResult> GetAsync(
        HttpContext context,
        [Description("The local authority (required)")] string? tenant,
        [Description("Only this team's clocks")] string? team,
        [Description("Only this worker's clocks")] string? worker,
        [Description("Only this rule, e.g. icpc")] string? rule,
        [Description("The list as the authority knew it at this instant: 2024-03-12T12:00:00Z, or a London local date-time 2024-03-12T12:00")] string? asAt,
        [Description("Also clocks due within this many working days (0 to 60, default 5)")] string? within,
        [Description("Only clocks already breached (breached) or not yet breached but due within the window (due-soon)")] string? status,
        [Description("Order of the rows: due (default), overdue, child, team, worker or rule")] string? sort,
        [Description("asc or desc (default asc; desc for overdue, most overdue first)")] string? direction,
        [Description("Which page, from 1 (default 1); a page past the last has no rows")] string? page,
        [Description("Rows per page, 1 to 200 (default 50)")] string? pageSize,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var request = BreachListParameters.Of(tenant, team, worker, rule, asAt, within, status, sort, direction, page, pageSize).ToRequest(problems);
        if (request?.Rule is { } r && context.RequestServices.GetService<TenantDirectory>() is { } tenants
            && tenants.For(request.Tenant).Rulebook.Find(r) is null)
            problems.Add("rule", $"'{Domain.Events.DoorLimits.Shown(r)}' is not a rule of tenant {request.Tenant}'s rulebook");
        if (request is null || problems.Any) return problems.ToResult("The breach list request has problems");
        if (context.RequestServices.GetService<IBreachListSource>() is not { } source) return ApiEndpoints.Unavailable();
        var list = await source.GetAsync(request, cancellationToken);
        await Security.AccessAudit.RecordChildrenAsync(context, list.Rows.Select(r => r.Child), cancellationToken);
        return Results.Ok(list);
    }
}
