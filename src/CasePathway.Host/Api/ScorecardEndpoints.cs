using CasePathway.Host.Cli;
using CasePathway.Host.Web;
using CasePathway.Projections.Scorecard;
using NodaTime;

namespace CasePathway.Host.Api;

/// <summary>
/// <c>GET /api/scorecard?tenant=&amp;month=</c> (the contract's shape, as <c>report scorecard --format json</c>)
/// and <c>GET /api/scorecard/{indicator}/children?tenant=&amp;month=</c>, the items behind a figure.
/// </summary>
public static class ScorecardEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/scorecard", async (HttpContext context, string? tenant, string? month, CancellationToken ct) =>
        {
            if (Validate(tenant, month) is not (var t, var m)) return Problems(tenant, month).ToResult("The scorecard request has problems");
            if (context.RequestServices.GetService<ScorecardAccess>() is not { } access) return Exports.Unavailable();
            var query = await access.ReadyAsync(ct);
            return Results.Json(await query.GetAsync(t, m, ct), CliOutput.Json);
        })
        .WithName("Scorecard")
        .WithSummary("Every scorecard indicator for a tenant and month, with definitions, targets, benchmarks and direction of travel")
        .Produces<ScorecardReport>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        endpoints.MapGet("/api/scorecard/{indicator}/children", async (HttpContext context, string indicator, string? tenant, string? month, CancellationToken ct) =>
        {
            var problems = Problems(tenant, month);
            if (Indicators.Find(indicator) is null)
                problems.Add("indicator", $"'{indicator}' is not an indicator (known: {string.Join(", ", Indicators.All.Select(i => i.Id))})");
            if (problems.Any || Validate(tenant, month) is not (var t, var m)) return problems.ToResult("The drill-down request has problems");
            if (context.RequestServices.GetService<ScorecardAccess>() is not { } access) return Exports.Unavailable();
            var query = await access.ReadyAsync(ct);
            var items = await query.ItemsAsync(t, indicator, m, ct);
            return Results.Json(new { tenant = t, month = ScorecardCalculator.Text(m), indicator = Indicators.Find(indicator)!.Id, items }, CliOutput.Json);
        })
        .WithName("ScorecardChildren")
        .WithSummary("The children, episodes and clocks behind an indicator's numerator and denominator")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static (string Tenant, YearMonth Month)? Validate(string? tenant, string? month) =>
        !string.IsNullOrWhiteSpace(tenant) && month is not null && ScorecardCommand.ParseMonth(month) is { } m ? (tenant.Trim(), m) : null;

    private static FieldProblems Problems(string? tenant, string? month)
    {
        var problems = new FieldProblems();
        if (string.IsNullOrWhiteSpace(tenant)) problems.Add("tenant", "is required: the local authority");
        if (string.IsNullOrWhiteSpace(month)) problems.Add("month", "is required, as YYYY-MM (such as 2022-10)");
        else if (ScorecardCommand.ParseMonth(month) is null) problems.Add("month", $"'{month}' is not a month: use YYYY-MM (such as 2022-10)");
        return problems;
    }
}
