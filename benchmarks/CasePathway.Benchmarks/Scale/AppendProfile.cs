using System.Diagnostics;
using CasePathway.Domain.Events;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Tenants;
using CasePathway.Import.Demo;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using Marten;
using Npgsql;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// `append-profile --councils N --children M`: where a bulk append's time goes (docs/performance.md, "What dominates
/// each cost"). The CPU parts of the one way in are timed one after another over every event of the same generated
/// councils — the rules, the content hash, building Marten's events, serialising data and headers — then the real
/// bulk append of the same events (500 children a chunk), so each part reads as a share of it however loaded the
/// machine is.
/// </summary>
public static class AppendProfile
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 12, 0);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ScaleOptions.Parse(args);
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_aprof_" + Guid.NewGuid().ToString("N")[..12], CommandTimeout = 0 }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        var store = await CasePathwayDatabase.OpenStoreAsync(dataSource);
        try
        {
            var chunks = new List<List<PathwayEvent>>();
            for (var i = 0; i < options.Councils; i++)
            {
                var chunk = new List<PathwayEvent>();
                var n = 0;
                foreach (var child in DemoPathways.Stream($"bench{i + 1:000}", Now, options.Children, options.Years, HashCode.Combine(options.Seed, i), FrontDoorShape.England))
                {
                    chunk.AddRange(child);
                    if (++n % PathwayAppender.ImportChunkChildren != 0) continue;
                    chunks.Add(chunk);
                    chunk = [];
                }
                if (chunk.Count > 0) chunks.Add(chunk);
            }
            var all = chunks.SelectMany(c => c).ToList();
            Console.Error.WriteLine($"# {all.Count} events of {options.Councils * options.Children} children");

            // Wall time (what the shares were first read from), and beside it what a loaded machine blurs less: this
            // process's CPU time and the bytes it allocated (the garbage collector's work grows with them).
            var phases = new List<(string Name, TimeSpan Time, TimeSpan Cpu, long Bytes)>();
            var process = Process.GetCurrentProcess();
            void Time(string name, Action work)
            {
                work(); // warm (JIT), untimed
                var (cpu, bytes) = (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
                var watch = Stopwatch.StartNew();
                work();
                var elapsed = watch.Elapsed;
                process.Refresh();
                phases.Add((name, elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: true) - bytes));
            }

            var tenant = TenantContext.Of(new TenantSettings("bench"));
            var children = all.GroupBy(e => (e.Tenant, e.Child)).ToList();
            Time("rules (DoorLimits, and PathwayCheck carried from each event of a child to the next: the one way in's)", () =>
            {
                foreach (var child in children)
                {
                    var check = new PathwayCheck(tenant);
                    foreach (var e in child)
                    {
                        if (DoorLimits.Check(e, Now).Count == 0 && check.Check(e).Count == 0) check.Add(e);
                    }
                }
            });
            Time("rules as checked before (DoorLimits, PathwayValidation against the child's earlier events rebuilt per event)", () =>
            {
                foreach (var child in children)
                {
                    var known = new List<PathwayEvent>();
                    foreach (var e in child)
                    {
                        if (DoorLimits.Check(e, Now).Count == 0 && PathwayValidation.Check(known, e, tenant).Count == 0) known.Add(e);
                    }
                }
            });
            var fresh = all.Select(e => e.ToNewEvent(inferRecordedAt: true)).ToList();
            Time("content hash (canonical data JSON + SHA-256)", () =>
            {
                foreach (var e in fresh) EventContentHash.Compute("bench", "C", e);
            });
            Time("canonical data JSON alone", () =>
            {
                foreach (var e in fresh) _ = EventJson.CanonicalData(e.Data);
            });
            var graph = store.Events;
            var storedAt = Now;
            Time("build Marten's events (type, envelope headers)", () =>
            {
                foreach (var e in fresh) EnvelopeHeaders.ToMartenEvent(e, e.Data, graph.BuildEvent, storedAt);
            });
            var built = fresh.Select(e => EnvelopeHeaders.ToMartenEvent(e, e.Data, graph.BuildEvent, storedAt)).ToList();
            var serializer = store.Options.Serializer();
            Time("Marten's serializer: data", () =>
            {
                foreach (var e in built) _ = serializer.ToJson(e.Data);
            });
            Time("Marten's serializer: headers", () =>
            {
                foreach (var e in built) _ = serializer.ToJson(e.Headers);
            });

            var appender = new PathwayAppender(new MartenEventStore(store), TenantDirectory.Empty.For, new FixedClock(Now));
            process.Refresh();
            var (appendCpuFrom, appendBytesFrom) = (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
            var whole = Stopwatch.StartNew();
            await appender.AppendAsync(all, AppendSource.Import, allOrNothing: false);
            var append = whole.Elapsed;
            process.Refresh();
            var (appendCpu, appendBytes) = (process.TotalProcessorTime - appendCpuFrom, GC.GetTotalAllocatedBytes(precise: true) - appendBytesFrom);

            Console.WriteLine($"| phase (each over all {all.Count:N0} events) | seconds | share of the bulk append | CPU seconds (this process) | share of the append's CPU | bytes allocated per event |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, time, cpu, bytes) in phases)
                Console.WriteLine($"| {name} | {time.TotalSeconds:0.000} | {time / append:P0} | {cpu.TotalSeconds:0.000} | {cpu / appendCpu:P0} | {bytes / all.Count:N0} |");
            Console.WriteLine($"| **bulk append, 500 children a chunk, 2 in flight (everything)** | {append.TotalSeconds:0.000} | {all.Count / append.TotalSeconds:N0} events/s | {appendCpu.TotalSeconds:0.000} | | {appendBytes / all.Count:N0} |");
            return 0;
        }
        finally
        {
            store.Dispose();
            await dataSource.DisposeAsync();
            await CasePathway.Store.Schema.Database.DropAsync(cs);
        }
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
