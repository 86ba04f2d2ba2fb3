using CasePathway.Host.Web;
using Wolverine.Http;

namespace CasePathway.Host.Features.BreachList;

/// <summary>Downloads that accompany the pages: the breach list as CSV, every row of the list the page pages through.</summary>
public static class BreachCsvEndpoint
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "The breach list page's rows as CSV: tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote";
        chain.EndpointDescription = "The page's query (tenant, team, worker, rule, status, within, asAt, sort, direction) and every row of the list it pages through (page and pageSize ignored), streamed as a download.";
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
            // named before the first row is read (the headers go first), by the server's clock when no asAt is given
            var evaluatedAt = request.AsAt ?? (context.RequestServices.GetService<NodaTime.IClock>() ?? NodaTime.SystemClock.Instance).GetCurrentInstant();
            var name = $"breaches-{request.Tenant}-{AsAtText.ForInput(evaluatedAt).Replace(':', '-')}.csv";
            // rows are written as the store yields them: the whole list is never held in memory
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024);
                await BreachCsv.WriteAsync(writer, Audited(context, source.StreamAsync(request, cancellationToken), cancellationToken), cancellationToken);
            }, "text/csv; charset=utf-8", SafeFileName(name));
    }

    /// <summary>Rows a batch at a time, each batch's children recorded in the access audit before any of it is written.</summary>
    private static async IAsyncEnumerable<BreachRow> Audited(HttpContext context, IAsyncEnumerable<BreachRow> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int batch = 500;
        var pending = new List<BreachRow>(batch);
        await foreach (var row in rows.WithCancellation(ct))
        {
            pending.Add(row);
            if (pending.Count < batch) continue;
            await Security.AccessAudit.RecordChildrenAsync(context, pending.Select(r => r.Child), ct);
            foreach (var r in pending) yield return r;
            pending.Clear();
        }
        await Security.AccessAudit.RecordChildrenAsync(context, pending.Select(r => r.Child), ct);
        foreach (var r in pending) yield return r;
    }

    private static string SafeFileName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());
}
