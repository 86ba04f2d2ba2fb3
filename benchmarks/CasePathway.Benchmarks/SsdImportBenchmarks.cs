using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CasePathway.Domain.Rules;
using CasePathway.Import;
using CasePathway.Import.Ssd;
using CasePathway.Store.Pathways;
using CasePathway.Testing;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Benchmarks;

/// <summary>
/// The SSD nightly import of a synthetic council of <see cref="Children"/> children (tests/CasePathway.Testing
/// SsdSnapshots: about 8 events per child), through the one way in, against a real PostgreSQL. Night1: the
/// first snapshot into an empty tenant. Night2: the next night (authorisations, corrections, vanished rows) on
/// top of night 1. Unchanged: night 2 again, which appends nothing — the cost of a quiet night. Projections
/// are not caught up here (ProjectFromScratch measures that).
/// </summary>
[Config(typeof(InProcessMonitoring))]
[MemoryDiagnoser]
public class SsdImportBenchmarks
{
    /// <summary>
    /// A few minutes an iteration, so one launch, no warm-up, two iterations; in process, because a generated
    /// project's build can take longer than BenchmarkDotNet's two minutes on a busy machine.
    /// </summary>
    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(2));
    }

    public const int Children = 100_000;

    private static readonly Instant Night1AsOf = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night1AsOf.Replace("+00:00", "Z")).Value;
    private static readonly Instant Night2AsOf = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night2AsOf.Replace("+00:00", "Z")).Value;

    private BenchmarkDatabase _db = null!;
    private string _folder = "";
    private string _tenant = "";
    private int _round;

    // Synchronous: the in-process toolchain does not wait for an asynchronous setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _db = await BenchmarkDatabase.CreateAsync();
        _folder = Path.Combine(Path.GetTempPath(), "cp-ssd-bench-" + Guid.NewGuid().ToString("N")[..8]);
        SsdSnapshots.Write(Path.Combine(_folder, "night1"), Children, 1);
        SsdSnapshots.Write(Path.Combine(_folder, "night2"), Children, 2);
        var bytes = Directory.EnumerateFiles(_folder, "*.csv", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 2;
        Console.WriteLine($"// {Children} children, {bytes / (1024 * 1024)} MB of CSV a night");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<SsdSummary> Import(int night) =>
        new SsdImporter(new PathwayAppender(_db.Store, tenant => CasePathway.Domain.Tenants.TenantContext.Of(new CasePathway.Domain.Tenants.TenantSettings(tenant)), SystemClock.Instance), _db.Store)
            .ImportAsync(Path.Combine(_folder, $"night{night}"), new SsdOptions(_tenant, night == 1 ? Night1AsOf : Night2AsOf)
            {
                // 100,000 children are about 1.3 million rows, beyond the default bound meant for a file of one list.
                Limits = ImportLimits.Default with { MaxRows = 10_000_000 },
            });

    private static void Report(SsdSummary s) =>
        Console.WriteLine($"// rows {s.RowsRead}, appended {s.EventsAppended}, rejected {s.RowsRejected}, peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");

    [IterationSetup(Target = nameof(Night1))]
    public void NewTenant() => _tenant = "ssd" + _round++;

    [Benchmark]
    public async Task<int> Night1()
    {
        var summary = await Import(1);
        Report(summary);
        return summary.EventsAppended;
    }

    [IterationSetup(Targets = [nameof(Night2), nameof(Unchanged)])]
    public void TenantAfterNight1()
    {
        NewTenant();
        Import(1).GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<int> Night2()
    {
        var summary = await Import(2);
        Report(summary);
        return summary.EventsAppended;
    }

    [Benchmark]
    public async Task<int> Unchanged()
    {
        // Night 1 again on top of itself: what a quiet night costs (read the store's state, compare, append nothing).
        var summary = await Import(1);
        Report(summary);
        return summary.EventsAppended;
    }
}
