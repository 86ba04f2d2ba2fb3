using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

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
