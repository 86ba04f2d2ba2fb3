using CasePathway.Projections.Queries;

namespace CasePathway.Host.Web;

// What the pages and the API read. The projections' queries implement these; the web layer never
// queries the database itself. A page whose source is not registered says so (503) rather than guess.

/// <summary>The breach list, and the choices its filters offer.</summary>
public interface IBreachListSource
{
    Task<BreachList> GetAsync(BreachListRequest request, CancellationToken cancellationToken);

    /// <summary>Tenants, and the teams, workers and rules seen in <paramref name="tenant"/> (empty when null).</summary>
    Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken);
}

public sealed record BreachFilterOptions(
    IReadOnlyList<string> Tenants,
    IReadOnlyList<string> Teams,
    IReadOnlyList<string> Workers,
    IReadOnlyList<RuleOption> Rules);

public sealed record RuleOption(string Id, string Title);

/// <summary>A child's pathway now or as at an instant; null when the tenant has no such child.</summary>
public interface IChildPathwaySource
{
    Task<ChildPathway?> GetAsync(string tenant, string child, NodaTime.Instant? asAt, CancellationToken cancellationToken);
}

/// <summary>The board's figures for a tenant and month (issue 7 fills it from the scorecard).</summary>
public interface IBoardSource
{
    Task<Board> GetAsync(string tenant, NodaTime.YearMonth month, CancellationToken cancellationToken);
}

/// <summary>The board: charts, each drawn from the numbers in its own table. No child identifiers.</summary>
public sealed record Board(string Tenant, NodaTime.YearMonth Month, IReadOnlyList<ChartTable> Charts);

/// <summary>
/// One chart and its numbers: <see cref="Categories"/> label the rows (e.g. months), each series is a
/// column. The table is the source of truth; the chart is drawn from it in the browser.
/// </summary>
public sealed record ChartTable(
    string Id,
    string Title,
    string Kind,
    string CategoryHeading,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ChartSeries> Series,
    string? Note = null);

/// <summary>A column of a chart's table; <see cref="IsTarget"/> draws it as a line (a target to meet).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values, bool IsTarget = false);
