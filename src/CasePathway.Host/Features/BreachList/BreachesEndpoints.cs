using System.ComponentModel;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using Wolverine.Http;

namespace CasePathway.Host.Features.BreachList;

/// <summary><c>GET /api/breaches</c>: the breach list as JSON — the same query, parameters and rows as the page and its CSV export.</summary>
public static class BreachesEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "Open clocks that are breached or fall due within N working days";
        chain.EndpointDescription = "Rows in order of the instant they fall overdue, with counts per rule. Reads everything committed before the request.";
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
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var request = BreachListParameters.Of(tenant, team, worker, rule, asAt, within).ToRequest(problems);
        if (request?.Rule is { } r && context.RequestServices.GetService<TenantDirectory>() is { } tenants
            && tenants.For(request.Tenant).Rulebook.Find(r) is null)
            problems.Add("rule", $"'{Domain.Events.DoorLimits.Shown(r)}' is not a rule of tenant {request.Tenant}'s rulebook");
        if (request is null || problems.Any) return problems.ToResult("The breach list request has problems");
        if (context.RequestServices.GetService<IBreachListSource>() is not { } source) return ApiEndpoints.Unavailable();
        return Results.Ok(await source.GetAsync(request, cancellationToken));
    }
}
