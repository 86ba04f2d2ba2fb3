using System.Runtime.CompilerServices;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using CasePathway.Domain.Tenants;
using CasePathway.Host.Features.BreachReasons;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Output;
using CasePathway.Projections.Tenants;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list: open clocks that are breached or fall due within N working days, from the indexed
/// clock versions — never by replaying streams. "Now" reads the open versions; as at T reads the
/// versions whose knowledge interval contains T, evaluated at T. A page is ordered, limited and offset in
/// SQL, and the whole list's counts come from one grouped query in the same round trip, so a page costs
/// the same whether the list holds fifty rows or fifty thousand.
/// </summary>
public sealed class BreachListQuery(NpgsqlDataSource dataSource, TenantDirectory tenants, IClock clock) : IBreachListSource
{
    private readonly BreachFilterQuery _filters = new(dataSource);

    public Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken) =>
        _filters.GetAsync(tenant, cancellationToken);

    public async Task<BreachList> GetAsync(BreachListRequest request, CancellationToken ct = default)
    {
        Check(request);
        var (at, where, parameters, context) = Filter(request);
        var pageSize = request.PageSize;
        var offset = (long)(request.Page - 1) * pageSize;
        // The counts and the page are independent reads of the same list, sent at once on two pooled connections:
        // as at a past instant each walks the knowledge-interval index, whose entries cost more than a b-tree's, so a
        // page waits for the slower of the two rather than for both in turn.
        var byRule = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byTeam = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<BreachRow>();
        await Task.WhenAll(
            ReadAsync(
                // grouping sets: the counts by rule and by team in one pass over the filtered rows
                $"select rule, team, grouping(rule) as by_team, count(*) from clock_versions where {where} group by grouping sets ((rule), (team))",
                parameters, reader =>
                {
                    var count = (int)reader.GetInt64(3);
                    if (reader.GetInt32(2) == 1) byTeam[reader.IsDBNull(1) ? "" : reader.GetString(1)] = count;
                    else byRule[reader.GetString(0)] = count;
                }, ct),
            ReadAsync(
                RowsSql(request, where, $"limit {(pageSize == BreachListRequest.Unpaged ? "all" : pageSize.ToString())} offset {offset}"),
                parameters, reader => rows.Add(Row(reader, context, at)), ct));
        var total = byRule.Values.Sum();
        return new BreachList(request.Tenant, at, request.AsAt is not null, request.WithinWorkingDays, rows, byRule,
            total, byTeam, request.Page, pageSize == BreachListRequest.Unpaged ? Math.Max(total, 1) : pageSize,
            pageSize == BreachListRequest.Unpaged ? (total == 0 ? 0 : 1) : BreachList.PagesFor(total, pageSize),
            BreachSorts.Name(request.Sort), request.Descending ? "desc" : "asc");
    }

    /// <summary>
    /// Every row of the filtered list in the request's order (paging ignored), yielded as the database
    /// sends them: exports stream these, so memory stays flat however long the list.
    /// </summary>
    public async IAsyncEnumerable<BreachRow> StreamAsync(BreachListRequest request, [EnumeratorCancellation] CancellationToken ct = default)
    {
        Check(request);
        var (at, where, parameters, context) = Filter(request);
        await using var cmd = Command(RowsSql(request, where, ""), parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Row(reader, context, at);
    }

    private static void Check(BreachListRequest request)
    {
        if (request.WithinWorkingDays < 0) throw new ArgumentOutOfRangeException(nameof(request), "within: must be 0 or more working days");
        if (request.Page < 1) throw new ArgumentOutOfRangeException(nameof(request), "page: must be 1 or more");
        if (request.PageSize < 1) throw new ArgumentOutOfRangeException(nameof(request), "pageSize: must be 1 or more");
    }

    /// <summary>
    /// The page's keys first (ordered, limited, offset), read from the list's index alone (migration 0023 includes
    /// every column the filters and sorts name), then only those rows from the table by their primary key, and each
    /// one's reason for delay as known at the same instant. A deep page skips index entries, not table rows, and a
    /// page costs fifty row reads however long the list.
    /// </summary>
    private static string RowsSql(BreachListRequest request, string where, string limit) => $"""
        select c.*, {BreachReasonView.Columns("r")}
        from (
            select {StoredClock.Columns}
            from (select tenant, child, rule, episode, known_from from clock_versions where {where} order by {OrderBy(request)} {limit}) k
            join clock_versions v using (tenant, child, rule, episode, known_from)) c
        {BreachReasonView.Join(request.AsAt is null ? null : "$2")}
        order by {OrderBy(request)}
        """;

    private (Instant At, string Where, NpgsqlParameter[] Parameters, TenantContext Context) Filter(BreachListRequest request)
    {
        var at = request.AsAt ?? clock.GetCurrentInstant();
        var context = tenants.For(request.Tenant);
        var horizon = context.Calendar.AddWorkingDays(London.DateOf(at), request.WithinWorkingDays);
        var horizonEnd = London.InstantOf(horizon.PlusDays(1).AtMidnight());
        var knowledge = request.AsAt is null ? "known_to is null" : KnownAt("$2");
        var status = request.Status switch
        {
            BreachStatusFilter.Breached => "and overdue_from <= $2",
            BreachStatusFilter.DueSoon => "and overdue_from > $2",
            _ => "",
        };
        var where = $"""
            tenant = $1 and {knowledge}
              and stopped_on is null and cancelled_on is null and not not_measurable
              and overdue_from <= $3 and due_on <= $4 {status}
              and ($5::text is null or team = $5) and ($6::text is null or worker = $6) and ($7::text is null or rule = $7)
            """;
        NpgsqlParameter[] parameters =
        [
            new() { Value = request.Tenant },
            new() { Value = at },
            new() { Value = horizonEnd },
            new() { Value = horizon },
            new() { Value = (object?)request.Team ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = (object?)request.Worker ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = (object?)request.Rule ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
        ];
        return (at, where, parameters, context);
    }

    /// <summary>
    /// The versions known at <paramref name="instant"/> (known_from ≤ T &lt; known_to, open when null), said as the
    /// interval clock_versions_as_at holds (migration 0014), so that the index answers it in one descent.
    /// </summary>
    public static string KnownAt(string instant) => $"tstzrange(known_from, known_to) @> {instant}::timestamptz";

    /// <summary>Fixed SQL per sort (never text from the request), each ending in the list's unique key.</summary>
    private static string OrderBy(BreachListRequest request)
    {
        var dir = request.Descending ? "desc" : "asc";
        var nulls = request.Descending ? "nulls first" : "nulls last";
        return request.Sort switch
        {
            // most overdue first is the earliest overdue instant first
            BreachSort.Overdue => $"overdue_from {(request.Descending ? "asc" : "desc")}, child, rule, episode",
            BreachSort.Child => $"child {dir}, rule {dir}, episode {dir}",
            BreachSort.Team => $"team {dir} {nulls}, overdue_from, child, rule, episode",
            BreachSort.Worker => $"worker {dir} {nulls}, overdue_from, child, rule, episode",
            BreachSort.Rule => $"rule {dir}, overdue_from, child, episode",
            _ => $"overdue_from {dir}, child {dir}, rule {dir}, episode {dir}",
        };
    }

    private async Task ReadAsync(string sql, NpgsqlParameter[] parameters, Action<NpgsqlDataReader> read, CancellationToken ct)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) read(reader);
    }

    // A command of its own on a pooled connection (held until it is disposed), with its own copies of the filter's parameters.
    private NpgsqlCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        return command;
    }

    private static BreachRow Row(NpgsqlDataReader reader, TenantContext context, Instant at)
    {
        var c = StoredClock.Read(reader);
        return new BreachRow(
            c.Tenant, c.Child, c.Rule, c.RuleTitle, c.Episode, c.Team, c.Worker,
            ClockText.Time(c.Unit, c.Started), ClockText.Due(c.Due), c.StatusAt(at),
            ClockText.Remaining(context.Calendar, c.Due, at), c.OverdueFrom,
            BreachReasonView.Read(reader, StoredClock.ColumnCount, context.Reasons));
    }
}

/// <summary>The sorts' names on the wire (<c>sort=</c>) and their natural direction.</summary>
public static class BreachSorts
{
    public static readonly IReadOnlyList<BreachSort> All = Enum.GetValues<BreachSort>();

    public static string Name(BreachSort sort) => sort.ToString().ToLowerInvariant();

    public static BreachSort? Parse(string text) => All.Cast<BreachSort?>().FirstOrDefault(s => Name(s!.Value) == text);

    /// <summary>Overdue reads most overdue first; every other column reads ascending first.</summary>
    public static bool DescendingByDefault(BreachSort sort) => sort == BreachSort.Overdue;
}

/// <summary>The status filter's names on the wire (<c>status=</c>).</summary>
public static class BreachStatusFilters
{
    public static string? Name(BreachStatusFilter status) => status switch
    {
        BreachStatusFilter.Breached => "breached",
        BreachStatusFilter.DueSoon => "due-soon",
        _ => null,
    };

    public static BreachStatusFilter? Parse(string text) => text switch
    {
        "breached" => BreachStatusFilter.Breached,
        "due-soon" => BreachStatusFilter.DueSoon,
        _ => null,
    };
}
