using CasePathway.Domain.Events;
using CasePathway.Host.Web;

namespace CasePathway.Host.Security;

/// <summary>
/// Councils are configured, never invented: an event is refused for a council the caller does not belong to
/// (403 naming <c>[i].tenant</c>) and for one no operator has added (400), before anything is stored.
/// </summary>
public static class CouncilAccess
{
    public static async Task<IResult?> CheckEventsAsync(HttpContext context, IReadOnlyList<PathwayEvent> events, bool isArray)
    {
        var user = context.User;
        var tenants = events.Select(e => e.Tenant).Distinct().ToList();
        var foreign = events.Select((e, i) => (e, i)).Where(x => !user.MayReadCouncil(x.e.Tenant)).ToList();
        if (foreign.Count > 0)
        {
            var problems = new FieldProblems();
            foreach (var (e, i) in foreign) problems.Add(isArray ? $"[{i}].tenant" : "tenant", "you may not send events for this council");
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Events for a council you do not belong to; nothing was stored",
                detail: string.Join("; ", problems.All().Select(p => $"{p.Field}: {p.Problem}")),
                extensions: new Dictionary<string, object?> { ["errors"] = problems.ToDictionary() });
        }
        var accounts = context.RequestServices.GetService<AccountStore>();
        var known = accounts is null ? new HashSet<string>() : await accounts.KnownCouncilsAsync(tenants, context.RequestAborted);
        var unknown = events.Select((e, i) => (e, i)).Where(x => !known.Contains(x.e.Tenant)).ToList();
        if (unknown.Count > 0)
        {
            var problems = new FieldProblems();
            foreach (var (e, i) in unknown) problems.Add(isArray ? $"[{i}].tenant" : "tenant", "is not a configured council (an operator adds councils)");
            return problems.ToResult("The events have problems; nothing was stored");
        }
        return null;
    }
}
