using System.Globalization;
using System.Net;
using System.Text;
using CasePathway.Domain.Scorecard;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>
/// The scorecard as CSV (one row per indicator) and as a self-contained HTML board paper that prints
/// cleanly to PDF (A4 landscape, no scripts, no external files). Neither carries a child identifier.
/// </summary>
public static class ScorecardFormats
{
    public static readonly string[] CsvColumns =
    [
        "tenant", "month", "id", "title", "period", "numerator", "denominator", "value", "unit", "target",
        "previousMonth", "directionSincePreviousMonth", "previousYear", "directionSincePreviousYear",
        "statisticalNeighbours", "region", "england", "yearToDateValue", "rolling12MonthsValue", "definition",
    ];

    /// <summary>The columns the app writes as numbers (a change since last month can be negative); the rest is text.</summary>
    public static readonly IReadOnlySet<string> CsvNumericColumns = new HashSet<string>
    {
        "numerator", "denominator", "value", "target", "previousMonth", "previousYear", "statisticalNeighbours", "region", "england",
        "yearToDateValue", "rolling12MonthsValue",
    };

    public static IEnumerable<IReadOnlyList<string?>> CsvRows(ScorecardReport report) =>
        report.Indicators.Select(i => (IReadOnlyList<string?>)
        [
            report.Tenant, IndicatorNames.Text(report.Month), i.Id, i.Title, i.Period.Name(), Number(i.Numerator), Number(i.Denominator), Number(i.Value),
            Unit(i), Number(i.Target), Number(i.SincePreviousMonth.Previous), i.SincePreviousMonth.Direction?.Name(),
            Number(i.SincePreviousYear.Previous), i.SincePreviousYear.Direction?.Name(),
            Number(i.Benchmarks?.StatisticalNeighbours), Number(i.Benchmarks?.Region), Number(i.Benchmarks?.England),
            Number(i.YearToDate.Value), Number(i.Rolling12Months.Value), i.Definition,
        ]);

    public static string Html(ScorecardReport report, Instant produced)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>{{E(report.TenantName)}}: performance scorecard, {{E(MonthName(report.Month))}}</title>
            <style>
            @page { size: A4 landscape; margin: 12mm; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #0b0c0c; font-size: 10.5pt; margin: 1.5em; }
            h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin: 1.4em 0 .4em; }
            p.meta { color: #505a5f; margin: 0 0 1em; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border-bottom: 1px solid #b1b4b6; padding: 4px 6px; text-align: left; vertical-align: top; }
            th { background: #f3f2f1; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr { break-inside: avoid; page-break-inside: avoid; } thead { display: table-header-group; }
            .better { color: #00703c; } .worse { color: #d4351c; } .vh { position: absolute; left: -9999px; }
            dl { margin: 0; } dt { font-weight: 600; margin-top: .5em; } dd { margin: 0 0 0 1.5em; }
            @media print { body { margin: 0; } h2.defs { break-before: page; page-break-before: always; } }
            </style></head><body>
            <h1>{{E(report.TenantName)}}: performance scorecard</h1>
            <p class="meta">{{E(MonthName(report.Month))}} · computed from the pathway events on {{E(OccurrenceText.FormatLocal(London.LocalDateTimeOf(produced)))}} (London time) · figures belong to the month in which the measured event happened</p>
            <table>
            <thead><tr><th scope="col">Ref</th><th scope="col">Indicator</th><th scope="col">Period</th><th scope="col">Numerator</th><th scope="col">Denominator</th><th scope="col">Value</th><th scope="col">Target</th><th scope="col">Last month</th><th scope="col">Last year</th><th scope="col">Stat. neighbours</th><th scope="col">Region</th><th scope="col">England</th></tr></thead>
            <tbody>

            """);
        foreach (var i in report.Indicators)
        {
            html.Append($"""<tr><th scope="row">{E(i.Id)}</th><td>{E(i.Title)}</td><td>{E(PeriodText(i))}</td>""");
            html.Append($"""<td class="n">{E(Number(i.Numerator))}</td><td class="n">{E(Number(i.Denominator))}</td>""");
            html.Append($"""<td class="n"><strong>{E(Shown(i.Value, i))}</strong></td><td class="n">{E(Shown(i.Target, i))}</td>""");
            html.Append(TravelCell(i.SincePreviousMonth, i)).Append(TravelCell(i.SincePreviousYear, i));
            html.Append($"""<td class="n">{E(Shown(i.Benchmarks?.StatisticalNeighbours, i))}</td><td class="n">{E(Shown(i.Benchmarks?.Region, i))}</td><td class="n">{E(Shown(i.Benchmarks?.England, i))}</td></tr>""");
            html.Append('\n');
        }
        html.Append("</tbody></table>\n<h2 class=\"defs\">Definitions</h2>\n<dl>\n");
        foreach (var i in report.Indicators)
            html.Append($"<dt>{E(i.Id)} {E(i.Title)}</dt><dd>{E(i.Definition)}</dd>\n");
        html.Append("</dl>\n<p class=\"meta\">An empty cell: nothing to measure in the period, or a value not configured for this authority (child population, target, benchmark).</p>\n</body></html>\n");
        return html.ToString();

        static string TravelCell(Travel travel, IndicatorResult i)
        {
            var arrow = travel.Direction switch { TravelDirection.Up => "▲ ", TravelDirection.Down => "▼ ", TravelDirection.Same => "= ", _ => "" };
            var cls = travel.Judgement is { } j ? $" {j.Name()}" : "";
            var label = travel.Judgement is { } k ? $"<span class=\"vh\"> ({k.Name()})</span>" : "";
            return $"""<td class="n{cls}">{arrow}{WebUtility.HtmlEncode(Shown(travel.Previous, i))}{label}</td>""";
        }
    }

    private static string PeriodText(IndicatorResult i) => i.Period switch
    {
        IndicatorPeriod.YearToDate => $"{IndicatorNames.Text(i.YearToDate.From)} to {IndicatorNames.Text(i.YearToDate.To)}",
        IndicatorPeriod.Rolling12Months => $"{IndicatorNames.Text(i.Rolling12Months.From)} to {IndicatorNames.Text(i.Rolling12Months.To)}",
        _ => "month",
    };

    private static string? Unit(IndicatorResult i) => i.Unit ?? (i.Kind == IndicatorKind.Percentage ? "%" : null);

    private static string Shown(decimal? value, IndicatorResult i) =>
        value is { } v ? Number(v) + (i.Kind == IndicatorKind.Percentage ? "%" : "") : "";

    private static string? Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);

    // Written out: the app runs in invariant globalization mode, where culture month names are unavailable.
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static string MonthName(YearMonth month) => $"{MonthNames[month.Month - 1]} {month.Year}";
}
