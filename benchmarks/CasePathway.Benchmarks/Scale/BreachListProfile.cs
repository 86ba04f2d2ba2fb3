using System.Diagnostics;
using CasePathway.Host.Features.BreachList;
using CasePathway.Projections.Tenants;
using CasePathway.Store.Marten;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// `breach-profile --tenant LA [--samples N] [--at INSTANT]`: the breach list's pages read against an existing
/// database (CASEPATHWAY_DB), p50 and p99 of each — the first and last page now, one team's, and as at 90 days
/// before — with nothing else running, so a page's cost is read apart from the scale run's other work
/// (docs/performance.md, "Breach list pages").
/// </summary>
public static class BreachListProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var tenant = Arg("--tenant") ?? throw new ArgumentException("--tenant: the council whose list is read");
        var samples = int.Parse(Arg("--samples") ?? "100", System.Globalization.CultureInfo.InvariantCulture);
        var now = Arg("--at") is { } at ? NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value : SystemClock.Instance.GetCurrentInstant();
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        await using var dataSource = EventStoreOptions.CreateDataSource(server);
        var breaches = new BreachListQuery(dataSource, TenantDirectory.Empty, new NowClock(now));
        var past = now - Duration.FromDays(90);
        var first = await breaches.GetAsync(new BreachListRequest(tenant));
        var team = first.CountsByTeam.Where(t => t.Key != "").OrderByDescending(t => t.Value).Select(t => t.Key).FirstOrDefault();
        var pastPages = (await breaches.GetAsync(new BreachListRequest(tenant, AsAt: past))).TotalPages;
        Console.WriteLine($"| page ({tenant}: {first.Total:N0} clocks on the list now, {samples} samples each) | p50 | p99 |");
        Console.WriteLine("|---|---|---|");
        async Task Sample(string name, BreachListRequest request)
        {
            await breaches.GetAsync(request);
            var times = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                var watch = Stopwatch.StartNew();
                await breaches.GetAsync(request);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"| {name} | {times[(int)(0.5 * (times.Count - 1))]:F1} ms | {times[(int)Math.Ceiling(0.99 * (times.Count - 1))]:F1} ms |");
        }
        await Sample("now, first page", new BreachListRequest(tenant));
        await Sample($"now, last page ({first.TotalPages})", new BreachListRequest(tenant, Page: Math.Max(1, first.TotalPages)));
        if (team is not null) await Sample($"now, one team ({first.CountsByTeam[team]:N0} clocks)", new BreachListRequest(tenant, Team: team));
        await Sample("as at 90 days before, first page", new BreachListRequest(tenant, AsAt: past));
        await Sample($"as at 90 days before, last page ({pastPages})", new BreachListRequest(tenant, AsAt: past, Page: Math.Max(1, pastPages)));
        return 0;
    }
}

file sealed class NowClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
