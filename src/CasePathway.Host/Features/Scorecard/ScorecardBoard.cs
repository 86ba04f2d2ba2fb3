using CasePathway.Domain.Scorecard;
using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>
/// The board page's figures, from the scorecard's facts: the headline table of every indicator, timeliness trends against target, distributions
/// of working days, breakdowns by contact source and team, and the front-door funnel. Counts and shares
/// only — no child identifier leaves this class. The arithmetic is <see cref="BoardArithmetic"/>'s; this reads.
/// </summary>
public sealed class ScorecardBoard(ScorecardQuery query) : IBoardSource
{
    private const int TrendMonths = 12;

    /// <summary>The chart that pictures each indicator not drawn by a trend of its own.</summary>
    private static readonly IReadOnlyDictionary<string, string> ChartOfIndicator = new Dictionary<string, string>
    {
        ["SG5"] = TrendId("SG6"),
        ["SG11"] = TrendId("SG12"),
        ["FD1"] = "by-source",
        ["CIN1"] = "by-source",
        ["SG7"] = "funnel",
    };

    public static string TrendId(string indicator) => $"trend-{indicator.ToLowerInvariant()}";

    /// <summary>The headline table: every indicator of the month's scorecard, in its order, with its RAG and its chart among <paramref name="charts"/>.</summary>
    public static IReadOnlyList<HeadlineRow> Headline(ScorecardReport report, IReadOnlyList<ChartTable> charts)
    {
        var ids = charts.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return report.Indicators.Select(r =>
        {
            var chart = ids.Contains(TrendId(r.Id)) ? TrendId(r.Id) : ChartOfIndicator.GetValueOrDefault(r.Id);
            return new HeadlineRow(r, BoardArithmetic.RagOf(r), chart is not null && ids.Contains(chart) ? chart : null);
        }).ToList();
    }

    public async Task<Board> GetAsync(string tenant, YearMonth month, CancellationToken cancellationToken)
    {
        var months = await query.GetMonthsAsync(tenant, month, TrendMonths, cancellationToken);
        var charts = new List<ChartTable>();
        var labels = months.Select(r => IndicatorNames.Text(r.Month)).ToList();

        foreach (var indicator in Indicators.All.Where(i => i.IsTimeliness))
        {
            var results = months.Select(r => r[indicator.Id]!).ToList();
            var series = new List<ChartSeries> { new($"{indicator.Id} %", results.Select(r => r.Value).ToList(), Measure.Percent) };
            if (results[^1].Target is not null) series.Add(new ChartSeries("Target %", results.Select(r => r.Target).ToList(), Measure.Percent, IsTarget: true));
            series.Add(new ChartSeries("Measured", results.Select(r => r.Denominator).ToList(), Measure.Count));
            charts.Add(new ChartTable(TrendId(indicator.Id), $"{indicator.Id}: {indicator.Title}", ChartKind.Trend, "Month", labels, series, indicator.Definition));
        }

        charts.Add(await HistogramAsync(query, tenant, month, ["FD8"], BoardArithmetic.ScreeningBuckets, 3, "fd8-days",
            "FD8: working days from contact to MASH screening",
            "MASH screenings in the month (requests for information excluded). FD8 counts 72 working hours from the contact's time; a screening 3 working days after the contact's date may be either side of it, one 4 or more days after is late.",
            "72 working hours (3 working days)"));
        charts.Add(await HistogramAsync(query, tenant, month, ["FD9"], BoardArithmetic.ScreeningBuckets, 5, "fd9-days",
            "FD9: working days from contact to EHAP screening",
            "Early help access point screenings in the month; the contact's date is day 0.",
            "5 working days"));
        charts.Add(await HistogramAsync(query, tenant, month, ["SG6"], BoardArithmetic.ConferenceBuckets, 15, "icpc-days",
            "SG6: working days from Section 47 start to ICPC",
            "Initial child protection conferences held in the month whose S47 start is recorded, in DfE's bands.",
            "15 working days"));

        var contacts = await query.BreakdownAsync(tenant, "FD1", month, FactDimension.Source, cancellationToken);
        var referrals = await query.BreakdownAsync(tenant, "CIN1", month, FactDimension.Source, cancellationToken);
        var sources = BoardArithmetic.InShowingOrder(contacts.Select(c => c.Key).Concat(referrals.Select(r => r.Key)));
        charts.Add(new ChartTable("by-source", "FD1 and CIN1: contacts and referrals by source", ChartKind.Bars, "Source",
            sources.Select(s => s ?? "Not recorded").ToList(),
            [
                new ChartSeries("Contacts", sources.Select(s => (decimal?)(contacts.FirstOrDefault(c => c.Key == s)?.Denominator ?? 0)).ToList(), Measure.Count),
                new ChartSeries("Referrals", sources.Select(s => (decimal?)(referrals.FirstOrDefault(c => c.Key == s)?.Denominator ?? 0)).ToList(), Measure.Count),
            ],
            "Contacts received (FD1) and referrals received (CIN1) in the month, by the source recorded on the contact or referral."));

        charts.Add(await ByTeamAsync(query, tenant, month, cancellationToken));

        var current = months[^1];
        charts.Add(new ChartTable("funnel", "The front door: contact to plan", ChartKind.Funnel, "Stage",
            ["Contacts", "Referrals", "Assessments started", "Section 47 enquiries started", "ICPCs held", "Plans made"],
            [new ChartSeries("In the month",
            [
                current["FD1"]!.Value, current["CIN1"]!.Value,
                await TotalAsync(query, tenant, Indicators.AssessmentsStarted, month, cancellationToken),
                await TotalAsync(query, tenant, Indicators.Section47sStarted, month, cancellationToken),
                current["SG7"]!.Value,
                await TotalAsync(query, tenant, Indicators.PlansMade, month, cancellationToken),
            ], Measure.Count)],
            "Each stage counts its own events in the month (not one cohort followed through)."));
        return new Board(tenant, month, Headline(current, charts), charts);
    }

    private static async Task<decimal?> TotalAsync(ScorecardQuery query, string tenant, string factSet, YearMonth month, CancellationToken ct) =>
        (await query.BreakdownAsync(tenant, factSet, month, FactDimension.Team, ct)).Sum(g => g.Denominator);

    private static async Task<ChartTable> HistogramAsync(
        ScorecardQuery query, string tenant, YearMonth month, string[] factSets, IReadOnlyList<DayBucket> buckets, int timescaleDays,
        string id, string title, string note, string timescale)
    {
        var values = await query.DistributionAsync(tenant, factSets, month);
        var counts = BoardArithmetic.Histogram(values, buckets);
        return new ChartTable(id, title, ChartKind.Histogram, "Working days", buckets.Select(b => b.Label).ToList(), [new ChartSeries("Count", counts, Measure.Count)], note,
            timescale, buckets.Select(b => b.To <= timescaleDays).ToList());
    }

    private static async Task<ChartTable> ByTeamAsync(ScorecardQuery query, string tenant, YearMonth month, CancellationToken ct)
    {
        string[] indicators = ["CIN3", "CIN8", "SG6"];
        var groups = new Dictionary<string, IReadOnlyList<FactGroup>>();
        foreach (var id in indicators) groups[id] = await query.BreakdownAsync(tenant, id, month, FactDimension.Team, ct);
        var teams = BoardArithmetic.InShowingOrder(groups.Values.SelectMany(g => g.Select(x => x.Key)));
        return new ChartTable("by-team", "CIN3, CIN8 and SG6 by team: % within timescale", ChartKind.Bars, "Team",
            teams.Select(t => t ?? "Unallocated").ToList(),
            indicators.Select(id => new ChartSeries($"{id} %", teams.Select(t =>
                BoardArithmetic.Share(groups[id].FirstOrDefault(g => g.Key == t))).ToList(), Measure.Percent)).ToList(),
            "CIN3 decisions within 24 hours, CIN8 assessments within 45 working days, SG6 ICPCs within 15 working days, by the team holding the case when the measured event happened.");
    }
}
