using System.ComponentModel;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Web;
using NodaTime;
using Wolverine.Http;

namespace CasePathway.Host.Features.Clocks;

/// <summary><c>GET /api/clocks?tenant=&amp;asAt=&amp;child=</c>: every clock of a tenant (the CLI's <c>report clocks</c>).</summary>
public static class ClocksEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "Every clock of a tenant, with its status and elapsed amount at the instant";
        chain.EndpointDescription = "The HTTP form of report clocks; optionally one child's clocks only.";
        chain.Metadata
            .WithTags("Clocks")
            .Produces<ClockReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverineGet("/api/clocks", OperationId = "GetClocks")]
    public static async Task<IResult> GetAsync(
        HttpContext context,
        [Description("The local authority (required)")] string? tenant,
        [Description("The clocks as known at this instant: 2024-03-12T12:00:00Z, or a London local date-time 2024-03-12T12:00")] string? asAt,
        [Description("Only this child's clocks")] string? child,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var validTenant = QueryParameters.Tenant(problems, tenant);
        var at = QueryParameters.AsAt(problems, asAt);
        var validChild = QueryParameters.Child(problems, child);
        if (problems.Any) return problems.ToResult("The clock report request has problems");
        if (context.RequestServices.GetService<IClockReportSource>() is not { } source) return ApiEndpoints.Unavailable();
        var report = await source.GetReportAsync(validTenant!, at, validChild, cancellationToken);
        await Security.AccessAudit.RecordChildrenAsync(context, report.Clocks.Select(c => c.Child), cancellationToken);
        return Results.Ok(report);
    }
}
