using CasePathway.Host.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Wolverine.Http;

namespace CasePathway.Host.Security;

/// <summary>
/// Which role may reach which route and page (docs/security.md), applied centrally: to Wolverine's endpoints by
/// their route, to the pages by their path, and to anything else by the fallback policy (signed in). Every
/// policy but <see cref="Events"/> also requires the council named by the request's <c>tenant</c> to be one of
/// the caller's (<see cref="CouncilRequirement"/>; refused as 404, like a council that does not exist).
/// </summary>
public static class AccessPolicies
{
    public const string Events = "events";
    public const string ChildRecord = "child-record";
    public const string BreachList = "breach-list";
    public const string Clocks = "clocks";
    public const string Board = "board";
    public const string DrillDown = "drill-down";
    public const string Audit = "audit";
    public const string Alerts = "alerts";
    public const string AlertsSent = "alerts-sent";
    public const string RecordReason = "record-reason";

    /// <summary>Routes and pages by the policy guarding them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Events] = [Roles.Feed],
        [ChildRecord] = [Roles.DutyManager, Roles.QaLead, Roles.Admin],
        [BreachList] = [Roles.DutyManager, Roles.QaLead],
        [Clocks] = [Roles.QaLead],
        [Board] = [Roles.Board, Roles.DutyManager, Roles.QaLead, Roles.Admin],
        [DrillDown] = [Roles.QaLead],
        [Audit] = [Roles.QaLead, Roles.Admin],
        [Alerts] = [Roles.DutyManager],
        [AlertsSent] = [Roles.Admin],
        [RecordReason] = [Roles.DutyManager, Roles.QaLead],
    };

    /// <summary>The policy of each Wolverine route (method and pattern); a route missing here is refused to everyone.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>
    {
        ["POST /api/events"] = Events,
        ["GET /api/children/{tenant}/{child}"] = ChildRecord,
        ["GET /api/breaches"] = BreachList,
        ["GET /breaches.csv"] = BreachList,
        ["GET /api/clocks"] = Clocks,
        ["GET /api/scorecard"] = Board,
        ["GET /api/scorecard/{indicator}/children"] = DrillDown,
        ["GET /api/alerts/subscriptions"] = Alerts,
        ["POST /api/alerts/subscriptions"] = Alerts,
        ["DELETE /api/alerts/subscriptions/{id}"] = Alerts,
        ["GET /api/alerts/sent"] = AlertsSent,
    };

    /// <summary>The policy of each page (Razor page path).</summary>
    public static readonly IReadOnlyDictionary<string, string> Pages = new Dictionary<string, string>
    {
        ["/Breaches"] = BreachList,
        ["/Child"] = ChildRecord,
        ["/Board"] = Board,
        ["/Alerts"] = Alerts,
        ["/AlertsSent"] = AlertsSent,
        ["/BreachReason"] = RecordReason,
    };

    public const string Nobody = "nobody";

    /// <summary>Paths anyone may reach: liveness, readiness, the API's description, and signing in.</summary>
    private static readonly string[] PublicPaths = ["/health/live", "/health/ready", "/openapi", "/account/signin", "/connect", "/signin-oidc", "/.well-known"];

    public static void Configure(AuthorizationOptions options)
    {
        foreach (var (name, roles) in RolesOf)
        {
            var policy = new AuthorizationPolicyBuilder(Access.Scheme).RequireAuthenticatedUser().RequireClaim(AccessClaims.Role, roles);
            if (name != Events) policy.AddRequirements(new CouncilRequirement(TeamScoped: name == BreachList));
            if (name == ChildRecord) policy.AddRequirements(new NeedToKnowRequirement(AdminWithReason: true));
            if (name == RecordReason) policy.AddRequirements(new NeedToKnowRequirement(AdminWithReason: false));
            options.AddPolicy(name, policy.Build());
        }
        options.AddPolicy(Nobody, p => p.AddAuthenticationSchemes(Access.Scheme).RequireAssertion(_ => false));
        // anything not given a policy: signed in, unless it is one of the public paths
        options.FallbackPolicy = new AuthorizationPolicyBuilder(Access.Scheme)
            .RequireAssertion(c => c.User.Identity?.IsAuthenticated == true
                || (c.Resource is HttpContext http && PublicPaths.Any(p => http.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))))
            .Build();
    }

    /// <summary>Gives a Wolverine endpoint its policy (called for every chain).</summary>
    public static void Apply(HttpChain chain)
    {
        var key = $"{chain.HttpMethods.FirstOrDefault()} {chain.RoutePattern?.RawText}";
        chain.Metadata.RequireAuthorization(Routes.TryGetValue(key, out var policy) ? policy : Nobody);
    }

    /// <summary>Gives each page its policy.</summary>
    public static void Apply(PageConventionCollection conventions)
    {
        foreach (var (page, policy) in Pages) conventions.AuthorizePage(page, policy);
        conventions.AllowAnonymousToFolder("/Account");
    }
}

/// <summary>The request's council (route value or query <c>tenant</c>) must be one of the caller's.</summary>
/// <param name="TeamScoped">A duty manager (who is not also a qa-lead) must name one of their own teams.</param>
public sealed record CouncilRequirement(bool TeamScoped) : IAuthorizationRequirement;

public sealed class CouncilCheck : AuthorizationHandler<CouncilRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CouncilRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var tenant = http?.GetRouteValue("tenant") as string ?? http?.Request.Query["tenant"].ToString();
        // no council named: the endpoint answers 400 (or the page asks for one); nothing of a council is read.
        // Not succeeding leaves the requirement failed, which AccessRefusals answers as 404.
        // nor when it is no council id at all: the endpoint names the parameter in its 400
        if (string.IsNullOrEmpty(tenant) || CasePathway.Domain.Events.DoorLimits.TenantProblem(tenant) is not null) context.Succeed(requirement);
        else if (context.User.MayReadCouncil(tenant) && (http is null || !requirement.TeamScoped || !TeamRefused(context, http))) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private static bool TeamRefused(AuthorizationHandlerContext context, HttpContext http)
    {
        if (!context.User.IsTeamScoped()) return false;
        if (http.GetRouteValue("child") is not null) return false;
        var team = http.Request.Query["team"].ToString();
        // the page without a team sends a duty manager on to their own team's list (BreachesModel)
        if (team.Length == 0 && http.Request.Path.Equals("/breaches", StringComparison.OrdinalIgnoreCase) && context.User.Teams().Count > 0) return false;
        return !context.User.Teams().Contains(team);
    }
}

/// <summary>
/// Need to know, for one child's record: a qa-lead reads any child of their councils; a duty manager only a child
/// who has been allocated to one of their teams (else 404, as for a child that does not exist); an administrator
/// only with a stated reason (<c>reason=</c>, kept in the access audit; else 403 naming <c>reason</c>).
/// </summary>
/// <param name="AdminWithReason">Whether an administrator may pass with a stated reason (reading a record, not writing to it).</param>
public sealed record NeedToKnowRequirement(bool AdminWithReason) : IAuthorizationRequirement
{
    public const string ReasonParameter = "reason";
    public const int MaxReasonLength = 500;

    /// <summary>The stated reason of the request, when it is one (trimmed, not blank, not over the limit).</summary>
    public static string? ReasonOf(HttpRequest request) =>
        request.Query[ReasonParameter].ToString().Trim() is { Length: > 0 and <= MaxReasonLength } reason ? reason : null;
}

/// <summary>Why a need-to-know check failed, for <see cref="AccessRefusals"/>.</summary>
public sealed class ReasonRequired(IAuthorizationHandler handler)
    : AuthorizationFailureReason(handler, $"{NeedToKnowRequirement.ReasonParameter}: an administrator reads a child's record only with a stated reason ({NeedToKnowRequirement.ReasonParameter}=…, at most {NeedToKnowRequirement.MaxReasonLength} characters)");

/// <summary>A child not allocated to the duty manager's teams: answered as 404, like another council's.</summary>
public sealed class NotTheirs(IAuthorizationHandler handler) : AuthorizationFailureReason(handler, "child: not allocated to your teams");

public sealed class NeedToKnowCheck : AuthorizationHandler<NeedToKnowRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, NeedToKnowRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.GetRouteValue("child") is not string child
            || http.GetRouteValue("tenant") is not string tenant || !context.User.MayReadCouncil(tenant))
        {
            // no child named, or another council (which the council check refuses as 404): nothing to decide here
            context.Succeed(requirement);
            return;
        }
        var roles = context.User.RolesOf();
        if (roles.Contains(Roles.QaLead)) { context.Succeed(requirement); return; }
        if (roles.Contains(Roles.DutyManager))
        {
            var teams = context.User.Teams();
            var source = http.RequestServices.GetService<Features.ChildPathway.IChildPathwaySource>();
            // no store: the endpoint answers 503 itself; a child never allocated to the manager's teams is not theirs to see
            if (source is null || (await source.TeamsOfAsync(tenant, child, http.RequestAborted)).Overlaps(teams)) { context.Succeed(requirement); return; }
            if (!roles.Contains(Roles.Admin)) { context.Fail(new NotTheirs(this)); return; }
        }
        // no role to use it: the role check refuses (403)
        if (!roles.Contains(Roles.Admin) || !requirement.AdminWithReason) { context.Succeed(requirement); return; }
        if (NeedToKnowRequirement.ReasonOf(http.Request) is not null) context.Succeed(requirement);
        else context.Fail(new ReasonRequired(this));
    }
}

/// <summary>
/// Not signed in: programs get 401 problem+json, people go to sign in. Another council (or another team): 404,
/// the same answer as for a council that does not exist. Signed in without the role: 403.
/// </summary>
public sealed class AccessRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded) { await next(context); return; }
        var programs = ProblemResponses.IsForPrograms(context.Request);
        if (result.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            if (!programs) { await context.ChallengeAsync(Access.Scheme); return; }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authorization: sign in, or send a bearer token from POST /connect/token");
            return;
        }
        var failure = result.AuthorizationFailure;
        if (failure?.FailedRequirements.OfType<CouncilRequirement>().Any() == true
            || failure?.FailureReasons.OfType<NotTheirs>().Any() == true)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, null);
            return;
        }
        if (failure?.FailureReasons.OfType<ReasonRequired>().FirstOrDefault() is { } reason)
        {
            // a person is asked for the reason and comes straight back; a program is told the parameter
            if (!programs) { context.Response.Redirect("/reason?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)); return; }
            await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, reason.Message);
            return;
        }
        await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "role: this is not open to your role");
    }
}
