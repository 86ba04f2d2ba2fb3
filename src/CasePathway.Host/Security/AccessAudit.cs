using System.Security.Claims;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Npgsql;

namespace CasePathway.Host.Security;

/// <summary>One look at a child's record (or at a list naming children): who, in which role, of which council, what, when.</summary>
public sealed record ChildRecordViewed(
    string Who, string Kind, IReadOnlyList<string> Roles, string Council, string Child, string? AsAt, string What, string Path, DateTimeOffset At, string? Reason);

/// <summary>
/// The access audit: every look at children's records, appended to a Marten event store of its own (schema
/// <c>access_audit</c>, one stream per council), apart from the pathway events so that the child projections
/// never read it. Nothing in the application updates or deletes it; there is no route that writes to it.
/// </summary>
public sealed class AccessAudit : IDisposable
{
    public const string Schema = "access_audit";
    private readonly DocumentStore store;

    public AccessAudit(NpgsqlDataSource dataSource)
    {
        store = DocumentStore.For(o =>
        {
            o.Connection(dataSource);
            o.DatabaseSchemaName = Schema;
            o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.TenancyStyle = TenancyStyle.Conjoined;
            o.Policies.AllDocumentsAreMultiTenanted();
            o.Events.MapEventType<ChildRecordViewed>("ChildRecordViewed");
        });
    }

    /// <summary>The stream of a council's audit.</summary>
    public static string StreamOf(string council) => "access-" + council;

    public async Task EnsureAsync(CancellationToken ct = default) => await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

    public async Task RecordAsync(ChildRecordViewed look, CancellationToken ct = default)
    {
        await using var session = store.LightweightSession(look.Council);
        session.Events.Append(StreamOf(look.Council), look);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>A council's audit, oldest first, optionally for one child.</summary>
    public async Task<IReadOnlyList<ChildRecordViewed>> ReadAsync(string council, string? child = null, CancellationToken ct = default)
    {
        await using var session = store.QuerySession(council);
        var events = await session.Events.FetchStreamAsync(StreamOf(council), token: ct);
        return events.Select(e => e.Data).OfType<ChildRecordViewed>().Where(v => child is null || v.Child == child).ToList();
    }

    public void Dispose() => store.Dispose();

    /// <summary>What each policy's routes show, for the audit's <c>what</c>.</summary>
    private static readonly IReadOnlyDictionary<string, string> Audited = new Dictionary<string, string>
    {
        [AccessPolicies.ChildRecord] = "child-record",
        [AccessPolicies.BreachList] = "breach-list",
        [AccessPolicies.Clocks] = "clocks",
        [AccessPolicies.DrillDown] = "scorecard-drill-down",
        [AccessPolicies.RecordReason] = "breach-reason",
    };

    /// <summary>After the endpoint: a successful answer of an audited route is recorded (a failure to record is a 500: no unaudited look).</summary>
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            await next();
            if (context.Response.StatusCode != StatusCodes.Status200OK) return;
            var policy = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null && Audited.ContainsKey(p));
            if (policy is null || context.RequestServices.GetService<AccessAudit>() is not { } audit) return;
            var council = context.GetRouteValue("tenant") as string ?? context.Request.Query["tenant"].ToString();
            if (string.IsNullOrEmpty(council)) return;
            var user = context.User;
            var child = context.GetRouteValue("child") as string ?? (context.Request.Query["child"].ToString() is { Length: > 0 } c ? c : "*");
            var what = Audited[policy] + (context.Request.Path.StartsWithSegments("/api") ? " (api)" : context.Request.Path.Value!.EndsWith(".csv", StringComparison.Ordinal) ? " (csv)" : " (page)");
            await audit.RecordAsync(new ChildRecordViewed(user.Who(), user.FindFirst(AccessClaims.Kind)?.Value ?? "user", user.RolesOf().Order().ToList(),
                council, child, context.Request.Query["asAt"].ToString() is { Length: > 0 } asAt ? asAt : null, what,
                context.Request.Path + context.Request.QueryString, DateTimeOffset.UtcNow, context.Request.Query["reason"].ToString() is { Length: > 0 } r ? r : null));
        });
    }

    /// <summary><c>GET /api/audit?tenant=&amp;child=</c>: a council's audit, for its qa-leads and admins.</summary>
    public static void Map(WebApplication app) =>
        app.MapGet("/api/audit", async (HttpContext context, string? tenant, string? child) =>
        {
            var problem = string.IsNullOrEmpty(tenant) ? "is required" : CasePathway.Domain.Events.DoorLimits.TenantProblem(tenant);
            if (problem is not null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["tenant"] = [problem] });
            var audit = context.RequestServices.GetService<AccessAudit>();
            if (audit is null) return Results.Problem(statusCode: 503, title: "The audit is not available without a database");
            return Results.Ok(await audit.ReadAsync(tenant!, string.IsNullOrEmpty(child) ? null : child, context.RequestAborted));
        }).RequireAuthorization(AccessPolicies.Audit).ExcludeFromDescription();
}
