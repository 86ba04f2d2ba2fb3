using CasePathway.Host.Web;

namespace CasePathway.Host.Api;

/// <summary>The HTTP API under <c>/api</c>: one file per resource, all answering problem+json when they refuse.</summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, BatchLimits limits)
    {
        var api = endpoints.MapGroup("/api");
        EventsEndpoints.Map(api, limits);
        BreachesEndpoints.Map(api);
        ChildrenEndpoints.Map(api);
        ClocksEndpoints.Map(api);
    }

    /// <summary>
    /// A problem+json answer naming the field concerned, shaped like a validation problem
    /// (<c>errors: {field: [problem]}</c>) whatever the status, so clients read every rejection alike.
    /// </summary>
    public static IResult Problem(int status, string title, string field, string problem) =>
        Results.Problem(
            statusCode: status,
            title: title,
            detail: $"{field}: {problem}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [problem] } });
}
