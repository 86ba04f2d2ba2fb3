using System.Diagnostics;
using System.Globalization;
using CasePathway.Domain.Tenants;
using CasePathway.Import;
using CasePathway.Import.Ssd;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using CasePathway.Benchmarks.Scale;
using CasePathway.Testing;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Benchmarks;

/// <summary>
/// `ssd --children N [--history H]`, or `ssd --children N --write DIR` (the two nights' folders only): the SSD nightly import of a synthetic council (tests/CasePathway.Testing
/// SsdSnapshots: about 8 events a child) through the one way in, against a real PostgreSQL, in a fresh database.
/// Night 1 into an empty council is read against a raw binary COPY of the same rows (the events it stored, into
/// tables made like Marten's, indexes included), as the scale benchmark reads its bulk append. Night 2 (authorisations,
/// corrections, vanished rows) and night 2 again (nothing changes) are measured for time and memory: bytes allocated,
/// the managed heap's peak (sampled every 20 ms) and the process's peak working set. With <c>--history H</c>, the
/// council first had H more children, whose rows vanished (retracted) before night 1: the store's history is then
/// larger than the snapshot, and memory should not follow it. One size per process, so that peaks are its own.
/// </summary>
public static class SsdImportBenchmarks
{
    private static readonly Instant Night1AsOf = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night1AsOf.Replace("+00:00", "Z")).Value;
    private static readonly Instant Night2AsOf = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night2AsOf.Replace("+00:00", "Z")).Value;

    public static async Task<int> RunAsync(string[] args)
    {
        var children = Option(args, "--children", 20_000);
        var history = Option(args, "--history", 0);
        if (Array.IndexOf(args, "--write") is var w and >= 0 && w + 1 < args.Length)
        {
            // Only the two nights' folders, for timing the command a council runs: `ops/casepathway import ssd DIR/night1 …`.
            SsdSnapshots.Write(Path.Combine(args[w + 1], "night1"), children, 1);
            SsdSnapshots.Write(Path.Combine(args[w + 1], "night2"), children, 2);
            Console.WriteLine($"{args[w + 1]}/night1 (as of {SsdSnapshots.Night1AsOf}) and night2 (as of {SsdSnapshots.Night2AsOf}): {children:N0} children");
            return 0;
        }
        var folder = Path.Combine(Path.GetTempPath(), "cp-ssd-bench-" + Guid.NewGuid().ToString("N")[..8]);
        // Every read model the runtime keeps, so that the catch-up after night 1 is the whole import's.
        await using var db = await BenchmarkDatabase.CreateAsync(CasePathwayProjections.For(TenantDirectory.Empty));
        try
        {
            SsdSnapshots.Write(Path.Combine(folder, "night1"), children, 1);
            SsdSnapshots.Write(Path.Combine(folder, "night2"), children, 2);
            var mb = Directory.EnumerateFiles(Path.Combine(folder, "night1")).Sum(f => new FileInfo(f).Length) / (1024.0 * 1024);
            Console.WriteLine($"| {children:N0} children, history {history:N0} more | {mb:F0} MB of CSV a night | load average {LoadAverage()} |");
            // CPU seconds beside the wall clock: on a shared machine the wall clock follows the load, the CPU much less.
            _postmaster = await PostgresCpu.PostmasterAsync(db.DataSource);
            Console.WriteLine("| measure | events | seconds | events/s | allocated MB | peak managed heap MB | peak working set MB | CPU s: this process / PostgreSQL |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var tenant = "ssd-bench";
            if (history > 0)
            {
                // Earlier nights: a larger council whose extra children's rows then vanished.
                SsdSnapshots.Write(Path.Combine(folder, "history"), children + history, 1);
                await Measure("history: night 1 with the extra children (setup)", () => Import(db, tenant, Path.Combine(folder, "history"), Night1AsOf - Duration.FromDays(2)));
                await Measure("history: the extra children vanish (setup)", () => Import(db, tenant, Path.Combine(folder, "night1"), Night1AsOf - Duration.FromDays(1)));
            }
            var night1 = await Measure("night 1" + (history > 0 ? " (nothing new: setup)" : " into an empty council"), () => Import(db, tenant, Path.Combine(folder, "night1"), Night1AsOf));
            // What `import ssd` does after the night ("updating clocks"): every read model brought up to date.
            var cpu = Cpu.Start();
            var catchUp = Stopwatch.StartNew();
            await db.Projections.CatchUpAsync();
            catchUp.Stop();
            Console.WriteLine($"| catch-up of every read model after night 1 | {night1.Appended:N0} | {catchUp.Elapsed.TotalSeconds:F1} | {night1.Appended / catchUp.Elapsed.TotalSeconds:N0} | | | | {cpu.Since()} |");
            if (history == 0)
            {
                var copy = await RawCopyAsync(db, tenant);
                var raw = copy.Events / copy.Elapsed.TotalSeconds;
                var whole = night1.Elapsed + catchUp.Elapsed;
                Console.WriteLine($"| raw binary COPY of the same rows (events + streams, Marten's columns and indexes) | {copy.Events:N0} | {copy.Elapsed.TotalSeconds:F1} | {raw:N0} | | | | {copy.Cpu} |");
                Console.WriteLine($"| night 1 ÷ raw COPY | | | {night1.Appended / night1.Elapsed.TotalSeconds / raw:F2} | | | |");
                Console.WriteLine($"| whole import (night 1 + catch-up) ÷ raw COPY | | {whole.TotalSeconds:F1} | {night1.Appended / whole.TotalSeconds / raw:F2} | | | |");
            }
            await Measure("night 2 (authorisations, corrections, vanished rows)", () => Import(db, tenant, Path.Combine(folder, "night2"), Night2AsOf));
            await Measure("night 2 again (unchanged: appends nothing)", () => Import(db, tenant, Path.Combine(folder, "night2"), Night2AsOf));
            Console.WriteLine();
            await using (var run = (SourceImportRun)await db.Store.StartSourceImportAsync(tenant, SsdImporter.SourceSystem))
                Console.WriteLine("Plan of a chunk's row lookup:\n" + await run.ExplainReadRowsAsync(["ssd_cin_episodes/R1", "ssd_contacts/K2"]));
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1].Replace("_", ""), CultureInfo.InvariantCulture) : fallback;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static Task<SsdSummary> Import(BenchmarkDatabase db, string tenant, string folder, Instant asOf) =>
        new SsdImporter(new PathwayAppender(db.Store, t => TenantContext.Of(new TenantSettings(t)), SystemClock.Instance), db.Store)
            .ImportAsync(folder, new SsdOptions(tenant, asOf)
            {
                // 100,000 children are about 1.3 million rows, beyond the default bound meant for a file of one list.
                Limits = ImportLimits.Default with { MaxRows = 10_000_000, MaxBytes = 10L * 1024 * 1024 * 1024 },
            });

    private static int _postmaster;

    /// <summary>This process's and PostgreSQL's CPU seconds from a start.</summary>
    private readonly record struct Cpu(TimeSpan Client, double Server)
    {
        public static Cpu Start() => new(Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu.Read(_postmaster));

        public string Since() =>
            $"{(Process.GetCurrentProcess().TotalProcessorTime - Client).TotalSeconds:F1} / {PostgresCpu.Read(_postmaster) - Server:F1}";
    }

    private static async Task<(int Appended, TimeSpan Elapsed)> Measure(string name, Func<Task<SsdSummary>> import)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        long peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var cpu = Cpu.Start();
        var watch = Stopwatch.StartNew();
        var summary = await import();
        watch.Stop();
        var cpuUsed = cpu.Since();
        await sampling.CancelAsync();
        await sampler;
        var mb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
        Console.WriteLine($"| {name} | {summary.EventsAppended:N0} appended of {summary.RowsRead:N0} rows | {watch.Elapsed.TotalSeconds:F1} | {summary.EventsAppended / watch.Elapsed.TotalSeconds:N0} | {mb:N0} | {peakHeap / (1024.0 * 1024):N0} | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} | {cpuUsed} |");
        if (summary.RowsRejected > 0) throw new InvalidOperationException($"{summary.RowsRejected} rows were rejected: {summary.Rejections[0].Reason}");
        return (summary.EventsAppended, watch.Elapsed);
    }

    /// <summary>
    /// The rows night 1 stored (streams and events, as stored) copied out, then timed: a binary COPY of them, in
    /// one transaction, into tables made <c>like</c> Marten's (columns, keys and every index, ours included) with the
    /// events' foreign key to their stream — the most PostgreSQL takes in for these rows.
    /// </summary>
    private static async Task<(long Events, TimeSpan Elapsed, string Cpu)> RawCopyAsync(BenchmarkDatabase db, string tenant)
    {
        var schema = EventStoreOptions.SchemaName;
        await db.ExecuteAsync(
            $"""
            create table raw_streams (like {schema}.mt_streams including all);
            create table raw_events (like {schema}.mt_events including all);
            alter table raw_events add foreign key (tenant_id, stream_id) references raw_streams (tenant_id, id);
            """);
        const string streamColumns = "tenant_id, id, type, version, timestamp, created, is_archived";
        const string eventColumns = "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, headers";
        var streams = Path.GetTempFileName();
        var events = Path.GetTempFileName();
        try
        {
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                await using (var output = File.Create(streams))
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"copy (select {streamColumns} from {schema}.mt_streams where tenant_id = '{tenant}') to stdout (format binary)"))
                    await copy.CopyToAsync(output);
                await using (var output = File.Create(events))
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"copy (select {eventColumns} from {schema}.mt_events where tenant_id = '{tenant}' order by seq_id) to stdout (format binary)"))
                    await copy.CopyToAsync(output);
            }
            await using var count = db.DataSource.CreateCommand($"select count(*) from {schema}.mt_events where tenant_id = '{tenant}'");
            var rows = (long)(await count.ExecuteScalarAsync())!;
            var cpu = Cpu.Start();
            var watch = Stopwatch.StartNew();
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using (var input = File.OpenRead(streams))
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"copy raw_streams ({streamColumns}) from stdin (format binary)"))
                    await input.CopyToAsync(copy);
                await using (var input = File.OpenRead(events))
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"copy raw_events ({eventColumns}) from stdin (format binary)"))
                    await input.CopyToAsync(copy);
                await tx.CommitAsync();
            }
            return (rows, watch.Elapsed, cpu.Since());
        }
        finally
        {
            File.Delete(streams);
            File.Delete(events);
        }
    }
}
