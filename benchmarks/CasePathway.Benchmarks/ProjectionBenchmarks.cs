using BenchmarkDotNet.Attributes;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Host.Features.BreachList;
using CasePathway.Import.Demo;
using CasePathway.Projections;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Benchmarks;

/// <summary>
/// Bulk append (events/s = events ÷ mean), the pathway projection catching up on the same events
/// (events/s processed into read models), and the pure fold per child.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class AppendAndProjectBenchmarks
{
    public const int Children = 2000;
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 15, 12, 0);
    private BenchmarkDatabase _db = null!;
    private IReadOnlyList<PathwayEvent> _events = null!;
    private IReadOnlyList<IReadOnlyList<PathwayEvent>> _byChild = null!;
    private TenantContext _context = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _db = await BenchmarkDatabase.CreateAsync();
        _events = DemoPathways.Generate("bench", Now, Children);
        _byChild = _events.GroupBy(e => e.Child).Select(g => (IReadOnlyList<PathwayEvent>)g.ToList()).ToList();
        _context = TenantDirectory.Empty.For("bench");
        Console.WriteLine($"// {_events.Count} events for {Children} children");
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _db.DisposeAsync();

    [IterationSetup(Target = nameof(BulkAppend))]
    public void EmptyStore() => _db.EmptyAsync().GetAwaiter().GetResult();

    /// <summary>Every demo event, fresh ids each time, in one bulk append (Marten).</summary>
    [Benchmark]
    public async Task<int> BulkAppend()
    {
        var fresh = _events.Select(e => e with { Id = Guid.NewGuid() });
        var result = await _db.Store.BulkAppendAsync(fresh.ToStreamAppends(inferRecordedAt: false));
        return result.Appended;
    }

    [IterationSetup(Target = nameof(ProjectFromScratch))]
    public void StoreFullProjectionEmpty()
    {
        EmptyStore();
        _db.Store.BulkAppendAsync(_events.ToStreamAppends(inferRecordedAt: false)).GetAwaiter().GetResult();
    }

    /// <summary>The pathway projection caught up by Marten's daemon on every event from position 0 (Marten's batches of 500).</summary>
    [Benchmark]
    public Task ProjectFromScratch() => _db.Projections.CatchUpAsync();

    [IterationSetup(Target = nameof(RebuildFromScratch))]
    public void StoreFullProjectionEmptyForRebuild() => StoreFullProjectionEmpty();

    /// <summary>The same events through <c>projections rebuild</c>: every child refolded once, in one transaction.</summary>
    [Benchmark]
    public Task<long> RebuildFromScratch() => _db.Projections.RebuildAsync(_db.Projections.Projections[0]);

    /// <summary>The pure fold of every child (divide by <see cref="Children"/> for one child).</summary>
    [Benchmark(OperationsPerInvoke = Children)]
    public int FoldPerChild()
    {
        var clocks = 0;
        foreach (var child in _byChild) clocks += ClockFold.Fold(child, _context.Rulebook, _context.Calendar, Now).Clocks.Count;
        return clocks;
    }

    /// <summary>The bitemporal history of every child, what the projection computes per child (per child).</summary>
    [Benchmark(OperationsPerInvoke = Children)]
    public int HistoryPerChild()
    {
        var versions = 0;
        foreach (var child in _byChild) versions += ClockHistory.Of("bench", child[0].Child, child, _context).Count;
        return versions;
    }
}

/// <summary>
/// One council's breach list at England scale: clock_versions seeded directly with 150 tenants ×
/// 5,000 open clocks (plus closed versions and stopped clocks), then the list for one tenant.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class BreachListBenchmarks
{
    private BenchmarkDatabase _db = null!;
    private BreachListQuery _query = null!;
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 15, 10, 0);

    [GlobalSetup]
    public async Task Setup()
    {
        _db = await BenchmarkDatabase.CreateAsync();
        // 150 tenants × 5,000 children: per child one open 45 WD clock (mostly not yet due), one open
        // 1 WD clock for every 10th child (many breached), one stopped clock and one superseded version.
        await _db.ExecuteAsync("""
            insert into clock_versions (tenant, child, rule, episode, known_from, known_to, rule_title, unit, team, worker,
                started_at, started_on, due_on, due_local, due_at, overdue_from, stopped_at, stopped_on, cancelled_on, not_measurable, explanation)
            select 'LA' || t, 'C' || c, r.rule, 'E' || c, r.known_from, r.known_to, r.rule, 'working-days', 'Team ' || (c % 12), 'w' || (c % 80),
                   r.started::timestamptz, r.started::date, r.due, null, null, (r.due + 1)::timestamptz, null, r.stopped, null, false, 'bench'
            from generate_series(1, 150) t, generate_series(1, 5000) c,
            lateral (values
                ('assessment', timestamptz '2024-01-01', null::timestamptz, date '2024-03-15' - (c % 90), date '2024-03-15' - (c % 90) + 63, null::date),
                ('referral-decision', timestamptz '2024-01-01', null, date '2024-03-14' - (c % 30), date '2024-03-15' - (c % 30), case when c % 10 = 0 then null else date '2024-03-15' - (c % 30) end),
                ('icpc', timestamptz '2024-01-01', timestamptz '2024-02-01', date '2024-01-01', date '2024-01-22', null)
            ) r(rule, known_from, known_to, started, due, stopped);
            analyze clock_versions;
            """);
        _query = new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now));
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _db.DisposeAsync();

    [Benchmark]
    public async Task<int> OneCouncilNow() => (await _query.GetAsync(new BreachListRequest("LA77"))).Rows.Count;

    [Benchmark]
    public async Task<int> OneCouncilWithinFiveDays() => (await _query.GetAsync(new BreachListRequest("LA77", WithinWorkingDays: 5))).Rows.Count;

    [Benchmark]
    public async Task<int> OneTeamAsAt() => (await _query.GetAsync(new BreachListRequest("LA77", AsAt: Now - Duration.FromDays(20), Team: "Team 3"))).Rows.Count;

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
