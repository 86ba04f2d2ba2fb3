using CasePathway.Domain.Events;
using CasePathway.Domain.Scorecard;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Web;
using NodaTime;
using Wolverine.Http;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>
/// <c>GET /api/scorecard?tenant=&amp;month=</c> (the contract's shape, as <c>report scorecard --format json</c>)
/// and <c>GET /api/scorecard/{indicator}/children?tenant=&amp;month=</c>, the items behind a figure.
/// </summary>
public static class ScorecardEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.Metadata.WithTags("Scorecard").ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (chain.Method.Method.Name == nameof(GetAsync))
        {
            chain.EndpointSummary = "Every scorecard indicator for a tenant and month, with definitions, targets, benchmarks and direction of travel";
            chain.EndpointDescription = "The contract's shape, as report scorecard --format json (docs/scorecard.md).";
            chain.Metadata.Produces<ScorecardReport>();
        }
        else
        {
            chain.EndpointSummary = "The children, episodes and clocks behind an indicator's numerator and denominator";
            chain.EndpointDescription = "The items behind a figure of GET /api/scorecard, for the same tenant and month.";
        }
    }

    [WolverineGet("/api/scorecard", OperationId = "Scorecard")]
    public static async Task<IResult> GetAsync(HttpContext context, string? tenant, string? month, CancellationToken ct)
    {
            var problems = new FieldProblems();
            if (Validate(problems, tenant, month) is not (var t, var m)) return problems.ToResult("The scorecard request has problems");
            if (context.RequestServices.GetService<IScorecardSource>() is not { } source) return ApiEndpoints.Unavailable();
            return Results.Ok(await source.GetAsync(t, m, ct));
    }

    [WolverineGet("/api/scorecard/{indicator}/children", OperationId = "ScorecardChildren")]
    public static async Task<IResult> GetChildrenAsync(HttpContext context, string indicator, string? tenant, string? month, CancellationToken ct)
    {
            var problems = new FieldProblems();
            var valid = Validate(problems, tenant, month);
            if (Indicators.Find(indicator) is null)
                problems.Add("indicator", $"'{DoorLimits.Shown(indicator)}' is not an indicator (known: {string.Join(", ", Indicators.All.Select(i => i.Id))})");
            if (problems.Any || valid is not (var t, var m)) return problems.ToResult("The drill-down request has problems");
            if (context.RequestServices.GetService<IScorecardSource>() is not { } source) return ApiEndpoints.Unavailable();
            var items = await source.ItemsAsync(t, indicator, m, ct);
            if (items is not null) await Security.AccessAudit.RecordChildrenAsync(context, items.Select(i => i.Child), ct);
            return Results.Ok(new { tenant = t, month = m, indicator = Indicators.Find(indicator)!.Id, items });
    }

    private static (string Tenant, YearMonth Month)? Validate(FieldProblems problems, string? tenant, string? month)
    {
        var t = QueryParameters.Tenant(problems, tenant);
        var m = QueryParameters.Month(problems, month, required: true);
        return t is not null && m is { } valid ? (t, valid) : null;
    }
}
