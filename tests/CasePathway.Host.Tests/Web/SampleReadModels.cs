using System.Text.Json;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.Scorecard;
using NodaTime;

namespace CasePathway.Host.Tests.Web;

// Test-only read models: fixed records so the pages can be checked before the real queries exist.
// They honour the request's filters the way the real queries must, so filter tests mean something.

public sealed class SampleBreachList : IBreachListSource
{
    public static readonly Instant Now = Instant.FromUtc(2024, 3, 14, 10, 0);

    public static readonly BreachRow[] Rows =
    [
        new("357", "C100", "screening", "Contact screened within 1 working day", "K1", "MASH", "asmith", "2024-03-11", "2024-03-12", ClockStatus.Breached, "-2", Instant.FromUtc(2024, 3, 13, 0, 0)),
        new("357", "C200", "assessment", "Assessment authorised within 45 working days", "R7", "Assessment 1", "bjones", "2024-01-10", "2024-03-14", ClockStatus.Running, "0", Instant.FromUtc(2024, 3, 15, 0, 0)),
        new("357", "C300", "icpc", "ICPC within 15 working days of the strategy discussion", "S9", "Assessment 1", "asmith", "2024-03-01", "2024-03-20", ClockStatus.Running, "4", Instant.FromUtc(2024, 3, 21, 0, 0)),
        new("357", "C400, \"twin\"", "screening", "Contact screened within 1 working day", "K2", "MASH", "cbrown", "2024-03-13", "2024-03-14", ClockStatus.Running, "0", Instant.FromUtc(2024, 3, 15, 0, 0)),
    ];

    public Task<BreachList> GetAsync(BreachListRequest request, CancellationToken cancellationToken)
    {
        var rows = Filtered(request).ToList();
        var page = rows.Skip((request.Page - 1) * request.PageSize).Take(request.PageSize).ToList();
        return Task.FromResult(new BreachList(request.Tenant, request.AsAt ?? Now, request.AsAt is not null, request.WithinWorkingDays, page,
            rows.GroupBy(r => r.Rule).ToDictionary(g => g.Key, g => g.Count()), rows.Count,
            rows.GroupBy(r => r.Team ?? "").ToDictionary(g => g.Key, g => g.Count()),
            request.Page, request.PageSize, BreachList.PagesFor(rows.Count, request.PageSize),
            BreachSorts.Name(request.Sort), request.Descending ? "desc" : "asc"));
    }

    public async IAsyncEnumerable<BreachRow> StreamAsync(BreachListRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var row in Filtered(request))
        {
            await Task.Yield();
            yield return row;
        }
    }

    // Filters and sorts as the real query does (without its tie-breaks: these rows never tie).
    private static IEnumerable<BreachRow> Filtered(BreachListRequest request)
    {
        var rows = Rows.Where(r => r.Tenant == request.Tenant
            && (request.Team is null || r.Team == request.Team)
            && (request.Worker is null || r.Worker == request.Worker)
            && (request.Rule is null || r.Rule == request.Rule)
            && (request.Status != BreachStatusFilter.Breached || r.OverdueFrom <= (request.AsAt ?? Now))
            && (request.Status != BreachStatusFilter.DueSoon || r.OverdueFrom > (request.AsAt ?? Now)));
        Func<BreachRow, string> key = request.Sort switch
        {
            BreachSort.Child => r => r.Child,
            BreachSort.Team => r => r.Team ?? "",
            BreachSort.Worker => r => r.Worker ?? "",
            BreachSort.Rule => r => r.Rule,
            _ => r => r.OverdueFrom.ToUnixTimeTicks().ToString("D20") + r.Child,
        };
        var descending = request.Sort == BreachSort.Overdue ? !request.Descending : request.Descending;
        return descending ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key, StringComparer.Ordinal);
    }

    public Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken)
    {
        var rows = Rows.Where(r => r.Tenant == tenant).ToList();
        return Task.FromResult(new BreachFilterOptions(
            ["357", "880"],
            rows.Select(r => r.Team!).Distinct().Order().ToList(),
            rows.Select(r => r.Worker!).Distinct().Order().ToList(),
            rows.Select(r => new RuleOption(r.Rule, r.RuleTitle)).DistinctBy(r => r.Id).ToList()));
    }
}

public sealed class SampleChildPathway : IChildPathwaySource
{
    /// <summary>Events recorded after this instant appear only in "recorded later" when viewed as at it.</summary>
    public static readonly Instant Cutoff = Instant.FromUtc(2024, 3, 12, 12, 0);

    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static readonly (Instant Recorded, TimelineEntry Entry)[] Events =
    [
        (Instant.FromUtc(2024, 3, 11, 9, 20), new(1, Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01"), "ContactReceived", "2024-03-11T09:15:00Z", "2024-03-11T09:20:00Z", false, "2024-03-11T09:20:01Z", "jsmith", "lcs", Data("""{"contactId":"K1","route":"mash","source":"police"}"""), false, 0)),
        (Instant.FromUtc(2024, 3, 11, 10, 0), new(2, Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a02"), "CaseAllocated", "2024-03-11T10:00:00Z", "2024-03-11T10:00:00Z", false, "2024-03-11T10:00:01Z", "jsmith", "lcs", Data("""{"team":"MASH","worker":"asmith"}"""), false, 0)),
        (Instant.FromUtc(2024, 3, 14, 9, 0), new(3, Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a03"), "ContactScreened", "2024-03-12", "2024-03-14T09:00:00Z", false, "2024-03-14T09:00:02Z", "asmith", "lcs", Data("""{"contactId":"K1","outcome":"referral"}"""), false, 2)),
    ];

    public Task<ChildPathway?> GetAsync(string tenant, string child, Instant? asAt, CancellationToken cancellationToken)
    {
        if (tenant != "357" || child != "C100") return Task.FromResult<ChildPathway?>(null);
        var at = asAt ?? SampleBreachList.Now;
        var known = Events.Where(e => e.Recorded <= at).Select(e => e.Entry).ToList();
        var later = asAt is null ? [] : Events.Where(e => e.Recorded > at).Select(e => e.Entry).ToList();
        var screened = known.Any(e => e.Type == "ContactScreened");
        ClockView clock = new("357", "C100", "screening", "Contact screened within 1 working day", "K1", TimeUnit.WorkingDays,
            "2024-03-11", "2024-03-12", screened ? "2024-03-12" : null, screened ? ClockStatus.Met : at > Instant.FromUtc(2024, 3, 13, 0, 0) ? ClockStatus.Breached : ClockStatus.Running,
            screened ? 1m : 0m, "Started by “Contact received”. 1 working day from Mon 11 Mar 2024: due Tue 12 Mar 2024." + (screened ? " Stopped Tue 12 Mar 2024 by “Contact screened”: met." : ""), "MASH", "asmith");
        return Task.FromResult<ChildPathway?>(new ChildPathway("357", "C100", at, asAt is not null, "MASH", "asmith", known, [clock], later));
    }

    public Task<IReadOnlySet<string>> TeamsOfAsync(string tenant, string child, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(tenant == "357" && child == "C100" ? new HashSet<string> { "MASH" } : new HashSet<string>());
}

public sealed class SampleBoard : IBoardSource
{
    /// <summary>FD8's target and benchmarks: the headline shows them beside the computed value.</summary>
    public static readonly CasePathway.Domain.Tenants.TenantSettings Settings = new("357",
        Targets: new Dictionary<string, decimal> { ["FD8"] = 85m, ["CIN3"] = 90m },
        Benchmarks: new Dictionary<string, CasePathway.Domain.Tenants.Benchmarks> { ["FD8"] = new(80m, null, 78.5m) });

    /// <summary>Made-up monthly totals for every fact set, the same on every call (the scorecard's arithmetic is real).</summary>
    public static CasePathway.Domain.Scorecard.MonthTotals Totals(string factSet, YearMonth month)
    {
        var denominator = 10 + (factSet.Length * 7 + month.Month * 3) % 20;
        return new(denominator - (factSet.Length + month.Month) % 6, denominator, denominator * 2);
    }

    public Task<Board> GetAsync(string tenant, YearMonth month, CancellationToken cancellationToken)
    {
        var months = Enumerable.Range(0, 6).Select(i => month.PlusMonths(i - 5).ToString("uuuu-MM", null)).ToList();
        ChartTable trend = new("trend-fd8", "FD8: contacts screened in time", ChartKind.Trend, "Month", months,
            [new("FD8 %", [81m, 84.5m, 79m, null, 88m, 90m], Measure.Percent), new("Target %", [85m, 85m, 85m, 85m, 85m, 85m], Measure.Percent, IsTarget: true),
             new("Measured", [40m, 42m, 38m, 0m, 45m, 50m], Measure.Count)]);
        ChartTable histogram = new("fd9-days", "FD9: working days from contact to EHAP screening", ChartKind.Histogram, "Working days",
            ["0", "1", "2", "3", "4–5", "6–10", "over 10"], [new("Count", [3m, 5m, 2m, 1m, 2m, 1m, 0m], Measure.Count)], null,
            "5 working days", [true, true, true, true, true, false, false]);
        ChartTable funnel = new("funnel", "From contact to plan", ChartKind.Funnel, "Stage",
            ["Contact", "Referral", "Assessment", "S47", "ICPC", "Plan"], [new("Children", [420m, 180m, 150m, 40m, 22m, 18m], Measure.Count)]);
        List<ChartTable> charts = [trend, histogram, funnel];
        var report = CasePathway.Domain.Scorecard.ScorecardCalculator.Compute(Settings with { Tenant = tenant }, month, Totals);
        return Task.FromResult(new Board(tenant, month, ScorecardBoard.Headline(report, charts), charts));
    }
}
