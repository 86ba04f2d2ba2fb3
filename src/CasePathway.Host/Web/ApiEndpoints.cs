namespace CasePathway.Host.Web;

/// <summary>
/// The answers every endpoint refuses with, as problem+json. The endpoints themselves live in their slices
/// (<c>Features/&lt;slice&gt;/*Endpoints.cs</c>): each a Wolverine HTTP endpoint (its route on the method, its
/// OpenAPI metadata in its class's <c>Configure(HttpChain)</c>), found by <c>MapWolverineEndpoints</c> in
/// <see cref="Web.WebApp"/>.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Where the API's routes live: what the server treats as a program's request, not a person's.</summary>
    public const string Prefix = "/api";

    /// <summary>Whether a request is for the API (<see cref="Prefix"/>).</summary>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(Prefix);

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

    /// <summary>503 problem+json: the read model this answer needs is not configured in this host.</summary>
    public static IResult Unavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Not available",
        detail: "The read model this answer needs is not configured in this server.");
}
