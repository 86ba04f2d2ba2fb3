using CasePathway.Host.Web;
using Wolverine.Http;

namespace CasePathway.Host.Features.BreachList;

/// <summary>Downloads that accompany the pages: the breach list as CSV, exactly the rows the page shows.</summary>
public static class BreachCsvEndpoint
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "The breach list page's rows as CSV: tenant,child,rule,episode,team,worker,started,due,status,remaining";
        chain.EndpointDescription = "The page's query (tenant, team, worker, rule, within, asAt) and exactly the rows it shows, as a download.";
        chain.Metadata
            .WithTags("Breaches")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverineGet("/breaches.csv", OperationId = "BreachListCsv")]
    public static async Task<IResult> GetBreachesCsvAsync(HttpContext context, CancellationToken cancellationToken)
    {
            var problems = new FieldProblems();
            var request = BreachListParameters.From(context.Request.Query).ToRequest(problems);
            if (request is null) return problems.ToResult("The breach list export has problems");
            var source = context.RequestServices.GetService<IBreachListSource>();
            if (source is null) return ApiEndpoints.Unavailable();
            var list = await source.GetAsync(request, cancellationToken);
            var name = $"breaches-{request.Tenant}-{AsAtText.ForInput(list.EvaluatedAt).Replace(':', '-')}.csv";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{SafeFileName(name)}\"";
            return Results.Text(BreachCsv.Write(list.Rows), "text/csv; charset=utf-8");
    }

    private static string SafeFileName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());
}
