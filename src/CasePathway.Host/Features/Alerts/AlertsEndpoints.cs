using System.ComponentModel;
using System.Text.Json;
using CasePathway.Host.Security;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using NodaTime;
using Wolverine.Http;

namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// A duty manager's own morning alert subscriptions, for a program: list, subscribe and stop, under the page's rules
/// (<see cref="AlertSubscriptionRules"/>). Subscribing and stopping change something, so they are a JSON POST and a
/// DELETE, which a page of another site cannot send without the browser asking first (and no other origin is allowed).
/// </summary>
public static class AlertSubscriptionsEndpoints
{
    public static void Configure(HttpChain chain)
    {
        var method = chain.HttpMethods.FirstOrDefault();
        chain.EndpointSummary = method switch
        {
            "POST" => "Subscribe to a team's morning alert (or change the subscription to it)",
            "DELETE" => "Stop one of your morning alert subscriptions",
            _ => "Your live morning alert subscriptions in a council",
        };
        chain.EndpointDescription = method switch
        {
            "POST" => "Body: {\"team\", \"email\", \"within\"?}: one of your teams, an e-mail address, and the window in working days " +
                      "(0 to 60, default 2). An earlier subscription of yours to the same team is stopped. 201 with the subscription.",
            "DELETE" => "204 when stopped; 404 when it is not a live subscription of yours in this council.",
            _ => "The council's sending time (London) and your subscriptions, by team.",
        };
        chain.Metadata.WithTags("Morning alerts").ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (method == "POST") chain.Metadata.Accepts<SubscribeRequest>("application/json").Produces<AlertSubscriptionView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        else if (method == "DELETE") chain.Metadata.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        else chain.Metadata.Produces<AlertSubscriptionList>();
    }

    /// <summary>The body of a subscription, for the API's description (the endpoint reads it field by field to name each problem).</summary>
    public sealed record SubscribeRequest(string Team, string Email, int? Within);

    [WolverineGet("/api/alerts/subscriptions", OperationId = "GetMyAlertSubscriptions")]
    public static async Task<IResult> ListAsync(
        HttpContext context,
        [Description("The local authority (required)")] string? tenant,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var council = QueryParameters.Tenant(problems, tenant);
        if (council is null || problems.Any) return problems.ToResult("The subscriptions request has problems");
        if (context.RequestServices.GetService<AlertSubscriptionQuery>() is not { } query) return ApiEndpoints.Unavailable();
        var live = await query.LiveForAsync(council, context.User.Who(), cancellationToken);
        var sendsAt = context.RequestServices.GetRequiredService<TenantDirectory>().For(council).Settings.MorningAlertsAt;
        return Results.Ok(new AlertSubscriptionList(council, sendsAt.ToString("HH:mm", null), live.Select(AlertSubscriptionView.Of).ToList()));
    }

    [WolverinePost("/api/alerts/subscriptions", OperationId = "SubscribeToMorningAlerts")]
    public static async Task<IResult> SubscribeAsync(
        HttpContext context,
        [Description("The local authority (required)")] string? tenant,
        CancellationToken cancellationToken)
    {
        if (!context.Request.HasJsonContentType())
            return ApiEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Content-Type", "must be application/json");
        var problems = new FieldProblems();
        var council = QueryParameters.Tenant(problems, tenant);
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return problems.Add("body", "is not JSON").ToResult("The subscription has problems");
        }
        if (body.ValueKind != JsonValueKind.Object) return problems.Add("body", "must be a JSON object: {\"team\", \"email\", \"within\"}").ToResult("The subscription has problems");
        var asked = AlertSubscriptionRules.Check(context.User.Teams(),
            AlertDates.TextOf(body, "team", problems), AlertDates.TextOf(body, "email", problems), AlertDates.TextOf(body, "within", problems), problems);
        if (council is null || asked is not { } wanted || problems.Any) return problems.ToResult("The subscription has problems");
        if (context.RequestServices.GetService<MorningAlerts>() is not { } alerts) return ApiEndpoints.Unavailable();
        var subscription = await alerts.SubscribeAsync(council, wanted.Team, context.User.Who(), wanted.Email, wanted.Within, cancellationToken);
        return Results.Created($"/api/alerts/subscriptions/{subscription.Id}?tenant={Uri.EscapeDataString(council)}", AlertSubscriptionView.Of(subscription));
    }

    [WolverineDelete("/api/alerts/subscriptions/{id}", OperationId = "StopMorningAlertSubscription")]
    public static async Task<IResult> StopAsync(
        HttpContext context,
        [Description("The subscription's id")] string id,
        [Description("The local authority (required)")] string? tenant,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var council = QueryParameters.Tenant(problems, tenant);
        if (council is null || problems.Any) return problems.ToResult("The request has problems");
        if (context.RequestServices.GetService<AlertSubscriptionQuery>() is not { } query) return ApiEndpoints.Unavailable();
        var now = context.RequestServices.GetRequiredService<IClock>().GetCurrentInstant();
        // someone else's subscription, a stopped one and no subscription at all are answered alike
        if (!Guid.TryParse(id, out var guid) || !await query.CancelAsync(guid, council, context.User.Who(), now, cancellationToken))
            return ApiEndpoints.Problem(StatusCodes.Status404NotFound, "No such subscription", "id", "is not a live subscription of yours in this council");
        return Results.NoContent();
    }
}

/// <summary><c>GET /api/alerts/sent</c>: what was sent for a council, for its administrators (the page <c>/alerts/sent</c> as JSON or CSV).</summary>
public static class AlertsSentEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "The morning alerts sent for a council, newest first";
        chain.EndpointDescription = "Each message: when it went, the date it was for, the subscription and team, the channel, the outcome " +
                                    "(sent or failed), the channel's detail, the tries and the clocks counted. from/to filter on the date it was for (inclusive).";
        chain.Metadata
            .WithTags("Morning alerts")
            .Produces<AlertsSentList>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverineGet("/api/alerts/sent", OperationId = "GetMorningAlertsSent")]
    public static async Task<IResult> GetAsync(
        HttpContext context,
        [Description("The local authority (required)")] string? tenant,
        [Description("Only messages for this council-local date or later (yyyy-MM-dd)")] string? from,
        [Description("Only messages for this council-local date or earlier (yyyy-MM-dd)")] string? to,
        [Description("json (default) or csv")] string? format,
        CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        var council = QueryParameters.Tenant(problems, tenant);
        var (first, last) = AlertDates.Range(from, to, problems);
        if (format is not (null or "" or "json" or "csv")) problems.Add("format", "is json or csv");
        if (council is null || problems.Any) return problems.ToResult("The sent list request has problems");
        if (context.RequestServices.GetService<AlertSubscriptionQuery>() is not { } query) return ApiEndpoints.Unavailable();
        var sent = (await query.SentAsync(council, null, cancellationToken, first, last)).Select(AlertDeliveryView.Of).ToList();
        if (format == "csv")
            return Results.Text(Output.CsvText.Write(AlertDeliveryView.Columns, sent.Select(d => d.Row()), AlertDeliveryView.Numeric), "text/csv; charset=utf-8");
        return Results.Ok(new AlertsSentList(council, first is { } f ? AlertDates.Text(f) : null, last is { } l ? AlertDates.Text(l) : null, sent));
    }
}
