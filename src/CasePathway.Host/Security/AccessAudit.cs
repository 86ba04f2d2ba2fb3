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
    private readonly NpgsqlDataSource dataSource;

    public AccessAudit(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
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

    /// <summary>The prefix of a council's audit streams (one stream per request that looked).</summary>
    public static string StreamOf(string council) => "access-" + council;

    /// <summary>
    /// Applies the audit store's tables, unless the fingerprint recorded at their last apply is current
    /// (<see cref="CasePathway.Store.Schema.SchemaFingerprint"/>); returns whether it applied.
    /// </summary>
    public Task<bool> EnsureAsync(CancellationToken ct = default) =>
        CasePathway.Store.Schema.SchemaFingerprint.ApplyUnlessCurrentAsync((Marten.Storage.MartenDatabase)store.Storage.Database, dataSource,
            CasePathway.Store.Schema.SchemaFingerprint.AccessAudit, () => store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(), ct);

    public async Task RecordAsync(ChildRecordViewed look, CancellationToken ct = default) => await RecordAsync([look], ct);

    /// <summary>
    /// Looks of one council, appended together (one round trip for a list's rows) as a stream of their own:
    /// appends to one shared stream would race for its next version (Marten's quick append reads it unlocked).
    /// </summary>
    public async Task RecordAsync(IReadOnlyCollection<ChildRecordViewed> looks, CancellationToken ct = default)
    {
        if (looks.Count == 0) return;
        var council = looks.First().Council;
        await using var session = store.LightweightSession(council);
        session.Events.StartStream(StreamOf(council) + "-" + Guid.CreateVersion7().ToString("N"), looks.Cast<object>().ToArray());
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Which looks to read: a council's, narrowed by child, person and the dates (inclusive, UTC) of the looks.</summary>
    public sealed record Filter(string Council, string? Child = null, string? Who = null, DateOnly? From = null, DateOnly? To = null);

    /// <summary>
    /// A council's audit in the order it was recorded, narrowed by the filter. Plain SQL: Marten's event LINQ looks
    /// for the type's default name, not the <c>ChildRecordViewed</c> it is stored under.
    /// </summary>
    public async Task<IReadOnlyList<ChildRecordViewed>> ReadAsync(Filter filter, CancellationToken ct = default)
    {
        var sql = new System.Text.StringBuilder($"select data from {Schema}.mt_events where tenant_id = $1 and type = 'ChildRecordViewed' and data ->> 'Council' = $1");
        var parameters = new List<object> { filter.Council };
        void And(string condition, object value) { parameters.Add(value); sql.Append(" and ").Append(condition.Replace("@", "$" + parameters.Count)); }
        if (filter.Child is { } child) And("data ->> 'Child' = @", child);
        if (filter.Who is { } who) And("data ->> 'Who' = @", who);
        if (filter.From is { } from) And("(data ->> 'At')::timestamptz >= @", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        if (filter.To is { } to) And("(data ->> 'At')::timestamptz < @", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        sql.Append(" order by seq_id");
        await using var command = dataSource.CreateCommand(sql.ToString());
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var looks = new List<ChildRecordViewed>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) looks.Add(System.Text.Json.JsonSerializer.Deserialize<ChildRecordViewed>(reader.GetString(0), StoredJson)!);
        return looks;
    }

    /// <summary>As Marten stores the events (its serializer keeps the .NET names).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions StoredJson = new() { PropertyNameCaseInsensitive = true };

    public void Dispose() => store.Dispose();

    /// <summary>What each policy's routes show, for the audit's <c>what</c>.</summary>
    private static readonly IReadOnlyDictionary<string, string> Audited = new Dictionary<string, string>
    {
        [AccessPolicies.ChildRecord] = "child-record",
        [AccessPolicies.BreachList] = "breach-list",
        [AccessPolicies.Clocks] = "clocks",
        [AccessPolicies.DrillDown] = "scorecard-drill-down",
        // names no child, but says who is told what about a council's teams: audited like the lists
        [AccessPolicies.AlertsSent] = "alerts-sent",
        [AccessPolicies.RecordReason] = "breach-reason",
    };

    /// <summary>
    /// The look an authorised request to an audited route is about to be answered with (the child, or <c>*</c> for
    /// a list), or null for a route that shows no child.
    /// </summary>
    public static ChildRecordViewed? LookOf(HttpContext context)
    {
        var policy = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null && Audited.ContainsKey(p));
        if (policy is null) return null;
        var council = context.GetRouteValue("tenant") as string ?? context.Request.Query["tenant"].ToString();
        if (string.IsNullOrEmpty(council) || CasePathway.Domain.Events.DoorLimits.TenantProblem(council) is not null) return null;
        var user = context.User;
        var child = context.GetRouteValue("child") as string ?? (context.Request.Query["child"].ToString() is { Length: > 0 } c ? c : "*");
        var what = Audited[policy] + (Web.ApiEndpoints.IsApi(context.Request) ? " (api)" : context.Request.Path.Value!.EndsWith(".csv", StringComparison.Ordinal) ? " (csv)" : " (page)");
        return new ChildRecordViewed(user.Who(), user.FindFirst(AccessClaims.Kind)?.Value ?? "user", user.RolesOf().Order().ToList(),
            council, Kept(child)!, Kept(context.Request.Query["asAt"].ToString()), what,
            Kept(context.Request.Path + context.Request.QueryString)!, DateTimeOffset.UtcNow, Kept(NeedToKnowRequirement.ReasonOf(context.Request)));
    }

    /// <summary>
    /// Text from the request as the audit keeps it — recorded before the endpoint checks it, so it may be anything:
    /// unprintable characters (PostgreSQL's jsonb refuses NUL) and lone surrogates become U+FFFD, cut at 2,000 characters.
    /// </summary>
    private static string? Kept(string? text) => string.IsNullOrEmpty(text) ? null : CasePathway.Domain.Events.DoorLimits.Shown(text, 2000);

    /// <summary>
    /// The children a list is about to show, one audit row each, recorded before they are written: called by each
    /// list (page, API, CSV batch, drill-down) with the rows it has in hand.
    /// </summary>
    public static async Task RecordChildrenAsync(HttpContext context, IEnumerable<string> children, CancellationToken ct)
    {
        if (context.RequestServices.GetService<AccessAudit>() is not { } audit || context.Features.Get<ChildRecordViewed>() is not { } look) return;
        var at = DateTimeOffset.UtcNow;
        var looks = children.Distinct(StringComparer.Ordinal).Select(child => look with { Child = child, At = at }).ToList();
        await audit.RecordAsync(looks, ct);
    }

    /// <summary>
    /// Before the endpoint: an authorised request to an audited route is recorded before anything of it is
    /// written, so no look goes unaudited — if the audit cannot be written the request fails (503 when the
    /// database is down) and nothing is shown. A request that then fails (an unknown child, a bad parameter)
    /// stays recorded as an attempt.
    /// </summary>
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (LookOf(context) is { } look && context.RequestServices.GetService<AccessAudit>() is { } audit)
            {
                await audit.RecordAsync(look, context.RequestAborted);
                // the request's look, for the list endpoints' rows (RecordChildrenAsync)
                context.Features.Set(look);
            }
            await next();
        });
    }

    /// <summary>The audit's columns, for CSV and tables (the CLI and the API write the same).</summary>
    public static readonly string[] Columns = ["at", "who", "kind", "roles", "council", "child", "asAt", "what", "path", "reason"];

    public static IReadOnlyList<string?> Row(ChildRecordViewed v) =>
        [v.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), v.Who, v.Kind, string.Join(" ", v.Roles), v.Council, v.Child, v.AsAt, v.What, v.Path, v.Reason];

    /// <summary>A filter from the query's <c>tenant</c>, <c>child</c>, <c>who</c>, <c>from</c> and <c>to</c> (yyyy-MM-dd), or the problems naming each bad field.</summary>
    public static Filter? FilterOf(string? tenant, string? child, string? who, string? from, string? to, Web.FieldProblems problems)
    {
        if (string.IsNullOrEmpty(tenant)) problems.Add("tenant", "is required");
        else if (CasePathway.Domain.Events.DoorLimits.TenantProblem(tenant) is { } p) problems.Add("tenant", p);
        DateOnly? Date(string field, string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)) return d;
            problems.Add(field, $"'{CasePathway.Domain.Events.DoorLimits.Shown(text)}' is not a date (yyyy-MM-dd)");
            return null;
        }
        var (start, end) = (Date("from", from), Date("to", to));
        if (start > end) problems.Add("to", "is before from");
        return problems.Any ? null : new Filter(tenant!, Blank(child), Blank(who), start, end);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// <c>GET /api/audit?tenant=&amp;child=&amp;who=&amp;from=&amp;to=&amp;format=json|csv</c>: a council's audit, for its
    /// qa-leads and admins.
    /// </summary>
    public static void Map(WebApplication app) =>
        app.MapGet("/api/audit", async (HttpContext context, string? tenant, string? child, string? who, string? from, string? to, string? format) =>
        {
            var problems = new Web.FieldProblems();
            var filter = FilterOf(tenant, child, who, from, to, problems);
            if (format is not (null or "" or "json" or "csv")) problems.Add("format", "is json or csv");
            if (filter is null || problems.Any) return problems.ToResult("The audit request has problems");
            var audit = context.RequestServices.GetService<AccessAudit>();
            if (audit is null) return Results.Problem(statusCode: 503, title: "The audit is not available without a database");
            var looks = await audit.ReadAsync(filter, context.RequestAborted);
            if (format != "csv") return Results.Ok(looks);
            return Results.Text(Output.CsvText.Write(Columns, looks.Select(Row), new HashSet<string>()), "text/csv; charset=utf-8");
        }).RequireAuthorization(AccessPolicies.Audit).ExcludeFromDescription();
}
