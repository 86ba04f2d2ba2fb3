using CasePathway.Domain.Scorecard;
using NodaTime;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>
/// The board page's figures, from the scorecard's facts: timeliness trends against target, distributions
/// of working days, breakdowns by contact source and team, and the front-door funnel. Counts and shares
/// only — no child identifier leaves this class. The arithmetic is <see cref="BoardArithmetic"/>'s; this reads.
/// </summary>
public sealed class ScorecardBoard(ScorecardQuery query) : IBoardSource
{
    private const int TrendMonths = 12;

    public async Task<Board> GetAsync(string tenant, YearMonth month, CancellationToken cancellationToken)
    {
        var months = await query.GetMonthsAsync(tenant, month, TrendMonths, cancellationToken);
        var charts = new List<ChartTable>();
        var labels = months.Select(r => IndicatorNames.Text(r.Month)).ToList();

        foreach (var indicator in Indicators.All.Where(i => i.IsTimeliness))
        {
            var results = months.Select(r => r[indicator.Id]!).ToList();
            var series = new List<ChartSeries> { new($"{indicator.Id} %", results.Select(r => r.Value).ToList()) };
            if (results[^1].Target is not null) series.Add(new ChartSeries("Target %", results.Select(r => r.Target).ToList(), IsTarget: true));
            series.Add(new ChartSeries("Measured", results.Select(r => r.Denominator).ToList()));
            charts.Add(new ChartTable($"trend-{indicator.Id.ToLowerInvariant()}", $"{indicator.Id}: {indicator.Title}", "line", "Month", labels, series, indicator.Definition));
        }

        charts.Add(await HistogramAsync(query, tenant, month, ["FD8", "FD9"], BoardArithmetic.ScreeningBuckets, "screening-days",
            "Working days from contact to screening", "Screenings measured by FD8 (MASH, requests for information excluded) and FD9 (EHAP), screened in the month."));
        charts.Add(await HistogramAsync(query, tenant, month, ["SG6"], BoardArithmetic.ConferenceBuckets, "icpc-days",
            "Working days from Section 47 start to ICPC", "Initial child protection conferences held in the month whose S47 start is recorded (SG6), in DfE's bands."));

        var contacts = await query.BreakdownAsync(tenant, "FD1", month, FactDimension.Source, cancellationToken);
        var referrals = await query.BreakdownAsync(tenant, "CIN1", month, FactDimension.Source, cancellationToken);
        var sources = BoardArithmetic.InShowingOrder(contacts.Select(c => c.Key).Concat(referrals.Select(r => r.Key)));
        charts.Add(new ChartTable("by-source", "Contacts and referrals by source", "bar", "Source",
            sources.Select(s => s ?? "Not recorded").ToList(),
            [
                new ChartSeries("Contacts", sources.Select(s => (decimal?)(contacts.FirstOrDefault(c => c.Key == s)?.Denominator ?? 0)).ToList()),
                new ChartSeries("Referrals", sources.Select(s => (decimal?)(referrals.FirstOrDefault(c => c.Key == s)?.Denominator ?? 0)).ToList()),
            ],
            "Contacts received (FD1) and referrals received (CIN1) in the month, by the source recorded on the contact or referral."));

        charts.Add(await ByTeamAsync(query, tenant, month, cancellationToken));

        var current = months[^1];
        charts.Add(new ChartTable("funnel", "The front door: contact to plan", "bar", "Stage",
            ["Contacts", "Referrals", "Assessments started", "Section 47 enquiries started", "ICPCs held", "Plans made"],
            [new ChartSeries("In the month",
            [
                current["FD1"]!.Value, current["CIN1"]!.Value,
                await TotalAsync(query, tenant, Indicators.AssessmentsStarted, month, cancellationToken),
                await TotalAsync(query, tenant, Indicators.Section47sStarted, month, cancellationToken),
                current["SG7"]!.Value,
                await TotalAsync(query, tenant, Indicators.PlansMade, month, cancellationToken),
            ])],
            "Each stage counts its own events in the month (not one cohort followed through)."));
        return new Board(tenant, month, charts);
    }

    private static async Task<decimal?> TotalAsync(ScorecardQuery query, string tenant, string factSet, YearMonth month, CancellationToken ct) =>
        (await query.BreakdownAsync(tenant, factSet, month, FactDimension.Team, ct)).Sum(g => g.Denominator);

    private static async Task<ChartTable> HistogramAsync(
        ScorecardQuery query, string tenant, YearMonth month, string[] factSets, IReadOnlyList<DayBucket> buckets,
        string id, string title, string note)
    {
        var values = await query.DistributionAsync(tenant, factSets, month);
        var counts = BoardArithmetic.Histogram(values, buckets);
        return new ChartTable(id, title, "bar", "Working days", buckets.Select(b => b.Label).ToList(), [new ChartSeries("Count", counts)], note);
    }

    private static async Task<ChartTable> ByTeamAsync(ScorecardQuery query, string tenant, YearMonth month, CancellationToken ct)
    {
        string[] indicators = ["CIN3", "CIN8", "SG6"];
        var groups = new Dictionary<string, IReadOnlyList<FactGroup>>();
        foreach (var id in indicators) groups[id] = await query.BreakdownAsync(tenant, id, month, FactDimension.Team, ct);
        var teams = BoardArithmetic.InShowingOrder(groups.Values.SelectMany(g => g.Select(x => x.Key)));
        return new ChartTable("by-team", "Within timescale by team (%)", "bar", "Team",
            teams.Select(t => t ?? "Unallocated").ToList(),
            indicators.Select(id => new ChartSeries($"{id} %", teams.Select(t =>
                BoardArithmetic.Share(groups[id].FirstOrDefault(g => g.Key == t))).ToList())).ToList(),
            "CIN3 decisions within 24 hours, CIN8 assessments within 45 working days, SG6 ICPCs within 15 working days, by the team holding the case when the measured event happened.");
    }
}
