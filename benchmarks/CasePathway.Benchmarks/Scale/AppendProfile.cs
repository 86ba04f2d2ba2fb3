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
        // --append-only: the bulk append alone (for a sampled trace of it, untouched by the phases before it).
        var appendOnly = args.Contains("--append-only");
        // --warm: first a bulk append of other councils of the same size, and a pause, as the scale benchmark's 10× and
        // 100× follow its 1× in one process: the append then runs on code the JIT has finished tiering up, and its CPU
        // is the steady state's.
        var warm = args.Contains("--warm");
        // --raw: also the scale benchmark's raw COPY of the same events (its limit), with its CPU on both sides.
        var raw = args.Contains("--raw");
        var options = ScaleOptions.Parse(args.Where(a => a is not ("--append-only" or "--warm" or "--raw")).ToArray());
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_aprof_" + Guid.NewGuid().ToString("N")[..12], CommandTimeout = 0 }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        var store = await CasePathwayDatabase.OpenStoreAsync(dataSource);
        try
        {
            List<PathwayEvent> Councils(string prefix, int children) => Enumerable.Range(0, options.Councils)
                .SelectMany(i => DemoPathways.Stream($"{prefix}{i + 1:000}", Now, children, options.Years, HashCode.Combine(options.Seed, i), FrontDoorShape.England))
                .SelectMany(child => child).ToList();
            var all = Councils("bench", options.Children);
            Console.Error.WriteLine($"# {all.Count} events of {options.Councils * options.Children} children");
            if (warm)
            {
                // Into a database of its own, as each of the scale benchmark's sizes has one: the measured append then
                // starts on empty tables and indexes, as the raw COPY does.
                var warmCs = new NpgsqlConnectionStringBuilder(cs) { Database = "cp_aprof_warm_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
                var warmSource = await CasePathwayDatabase.PrepareAsync(warmCs);
                var first = Councils("warm", options.Children);
                using (var warmStore = await CasePathwayDatabase.OpenStoreAsync(warmSource))
                    await new PathwayAppender(new MartenEventStore(warmStore), TenantDirectory.Empty.For, new FixedClock(Now)).AppendAsync(first, AppendSource.Import, allOrNothing: false);
                await warmSource.DisposeAsync();
                await CasePathway.Store.Schema.Database.DropAsync(warmCs);
                await Task.Delay(TimeSpan.FromSeconds(3));
                Console.Error.WriteLine($"# warmed by a bulk append of {first.Count} events");
            }

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
            if (!appendOnly)
            {
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
            }

            var serverCpuMeter = await ServerCpu.OpenAsync(dataSource);
            if (raw)
            {
                var chunks = all.GroupBy(e => (e.Tenant, e.Child)).Chunk(PathwayAppender.ImportChunkChildren).Select(c => c.SelectMany(g => g).ToList()).ToList();
                process.Refresh();
                var (cpuFrom, rawServerFrom) = (process.TotalProcessorTime, serverCpuMeter?.Read());
                var rawFrom = Stopwatch.GetTimestamp();
                var elapsed = await RawCopy.RunAsync(dataSource, chunks, Now);
                Console.Error.WriteLine($"# raw window: {(double)rawFrom / Stopwatch.Frequency:0.000000},{(double)Stopwatch.GetTimestamp() / Stopwatch.Frequency:0.000000}");
                process.Refresh();
                var (cpu, rawServer) = (process.TotalProcessorTime - cpuFrom, serverCpuMeter?.Read() - rawServerFrom);
                Console.WriteLine($"raw COPY (the scale benchmark's limit, one connection): {elapsed.TotalSeconds:0.000} s, {all.Count / elapsed.TotalSeconds:N0} events/s; client CPU {cpu.TotalMicroseconds / all.Count:0.0} µs an event (JSON made beforehand, not timed), PostgreSQL CPU {rawServer?.TotalMicroseconds / all.Count:0.0} µs an event");
            }
            var appender = new PathwayAppender(new MartenEventStore(store), TenantDirectory.Empty.For, new FixedClock(Now));
            var serverFrom = serverCpuMeter?.Read();
            process.Refresh();
            var (appendCpuFrom, appendBytesFrom) = (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
            var (jitFrom, jitMethodsFrom, pauseFrom) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount(), GC.GetTotalPauseDuration());
            var gcFrom = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var whole = Stopwatch.StartNew();
            var windowFrom = Stopwatch.GetTimestamp();
            await appender.AppendAsync(all, AppendSource.Import, allOrNothing: false);
            var append = whole.Elapsed;
            // The append's window on the monotonic clock (Linux), for a system-wide profiler: `perf record -k mono`, `perf report --time`.
            Console.Error.WriteLine($"# append window: {(double)windowFrom / Stopwatch.Frequency:0.000000},{(double)Stopwatch.GetTimestamp() / Stopwatch.Frequency:0.000000}");
            process.Refresh();
            var (appendCpu, appendBytes) = (process.TotalProcessorTime - appendCpuFrom, GC.GetTotalAllocatedBytes(precise: true) - appendBytesFrom);
            var serverCpu = serverCpuMeter?.Read() - serverFrom;
            var (jit, jitMethods, pause) = (System.Runtime.JitInfo.GetCompilationTime() - jitFrom, System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsFrom, GC.GetTotalPauseDuration() - pauseFrom);
            var gcs = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - gcFrom[g]).ToArray();

            Console.WriteLine($"| phase (each over all {all.Count:N0} events) | seconds | share of the bulk append | CPU seconds (this process) | share of the append's CPU | bytes allocated per event |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, time, cpu, bytes) in phases)
                Console.WriteLine($"| {name} | {time.TotalSeconds:0.000} | {time / append:P0} | {cpu.TotalSeconds:0.000} | {cpu / appendCpu:P0} | {bytes / all.Count:N0} |");
            Console.WriteLine($"| **bulk append, 500 children a chunk, 2 in flight (everything)** | {append.TotalSeconds:0.000} | {all.Count / append.TotalSeconds:N0} events/s | {appendCpu.TotalSeconds:0.000} | | {appendBytes / all.Count:N0} |");
            Console.WriteLine($"client CPU per event: {appendCpu.TotalMicroseconds / all.Count:0.0} µs; of the append's time, the JIT compiling {jitMethods:N0} methods {jit.TotalSeconds:0.000} s, the GC's pauses {pause.TotalSeconds:0.000} s (collections of generation 0/1/2: {gcs[0]}/{gcs[1]}/{gcs[2]})");
            if (serverCpu is { } s)
                Console.WriteLine($"PostgreSQL CPU during the bulk append (every server process, on this machine): {s.TotalSeconds:0.000} s, {s.TotalMicroseconds / all.Count:0.0} µs an event");
            return 0;
        }
        finally
        {
            store.Dispose();
            await dataSource.DisposeAsync();
            await CasePathway.Store.Schema.Database.DropAsync(cs);
        }
    }

    /// <summary>
    /// PostgreSQL's CPU time when it runs on this machine: the postmaster's own, its exited children's (reaped) and
    /// its live children's (the pooled backends), from /proc. Null when the server is elsewhere or unreadable.
    /// </summary>
    private sealed class ServerCpu(int postmaster)
    {
        private static readonly double Tick = 100.0; // USER_HZ on Linux

        public static async Task<ServerCpu?> OpenAsync(NpgsqlDataSource dataSource)
        {
            try
            {
                await using var cmd = dataSource.CreateCommand("select current_setting('data_directory')");
                var dir = (string)(await cmd.ExecuteScalarAsync())!;
                var pid = int.Parse(File.ReadLines(Path.Combine(dir, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
                var cpu = new ServerCpu(pid);
                cpu.Read();
                return cpu;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return null;
            }
        }

        public TimeSpan Read()
        {
            long ticks = 0;
            var self = Fields(postmaster)!;
            ticks += long.Parse(self[11]) + long.Parse(self[12]) + long.Parse(self[13]) + long.Parse(self[14]);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                var f = Fields(pid);
                if (f is null || f[1] != postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)) continue;
                ticks += long.Parse(f[11]) + long.Parse(f[12]);
            }
            return TimeSpan.FromSeconds(ticks / Tick);
        }

        // The fields after the command's closing parenthesis: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.
        private static string[]? Fields(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                return text[(text.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
