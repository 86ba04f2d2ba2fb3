using CasePathway.Domain.Scorecard;
using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>The board's figures for a tenant and month, from the scorecard.</summary>
public interface IBoardSource
{
    Task<Board> GetAsync(string tenant, NodaTime.YearMonth month, CancellationToken cancellationToken);
}

/// <summary>
/// The board paper: the headline table of every indicator, then the charts, each drawn from the numbers in
/// its own table. Aggregates only: no child identifier.
/// </summary>
public sealed record Board(string Tenant, NodaTime.YearMonth Month, IReadOnlyList<HeadlineRow> Headline, IReadOnlyList<ChartTable> Charts);

/// <summary>
/// One indicator in the headline table: the scorecard's own row (typed values, formatted only by the page),
/// its RAG against target, and the chart on the page that pictures it, if one does.
/// </summary>
public sealed record HeadlineRow(IndicatorResult Result, Rag? Rag, string? ChartId);

/// <summary>What a chart pictures, which decides how it is drawn.</summary>
public enum ChartKind
{
    /// <summary>Months along the bottom: shares as lines on a percentage axis, their target as a dashed line, counts as bars on an axis of their own.</summary>
    Trend,
    /// <summary>Groups side by side, one measure (all shares or all counts).</summary>
    Bars,
    /// <summary>How many fell in each band of working days, the timescale marked.</summary>
    Histogram,
    /// <summary>Stages of the front door, as horizontal bars.</summary>
    Funnel,
}

/// <summary>What a series measures: each measure has its own axis.</summary>
public enum Measure { Percent, Count }

/// <summary>
/// One chart and its numbers: <see cref="Categories"/> label the rows (e.g. months), each series is a
/// column. The table is the source of truth; the chart is drawn from it in the browser.
/// <see cref="WithinTimescale"/> (histograms) says for each category whether it is within the timescale
/// named by <see cref="Timescale"/>.
/// </summary>
public sealed record ChartTable(
    string Id,
    string Title,
    ChartKind Kind,
    string CategoryHeading,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ChartSeries> Series,
    string? Note = null,
    string? Timescale = null,
    IReadOnlyList<bool>? WithinTimescale = null);

/// <summary>A column of a chart's table; <see cref="IsTarget"/> draws it as a dashed line (a target to meet).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values, Measure Measure, bool IsTarget = false);
