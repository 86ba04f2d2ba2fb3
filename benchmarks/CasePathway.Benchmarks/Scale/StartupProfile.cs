using System.Diagnostics;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using Marten;
using Marten.Storage;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// <c>startup-profile [--runs N]</c>: each step of preparing an up-to-date database, as every start-up does it
/// (docs/performance.md, "Start-up"), timed N times in one process against CASEPATHWAY_DB, wall and CPU
/// milliseconds: the first run pays for the JIT as a launch does, the later ones show the steps' own cost.
/// </summary>
public static class StartupProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var cs = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        Console.WriteLine("| run | step | wall (ms) | CPU (ms) |");
        Console.WriteLine("|---|---|---|---|");
        for (var run = 1; run <= runs; run++)
        {
            async Task<T> Step<T>(string name, Func<Task<T>> work)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var result = await work();
                Console.WriteLine($"| {run} | {name} | {watch.Elapsed.TotalMilliseconds:F0} | {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} |");
                return result;
            }
            await Step("create the database if missing", async () => { await Database.EnsureCreatedAsync(cs); return 0; });
            await using var dataSource = EventStoreOptions.CreateDataSource(cs);
            await Step("read-model migrations (none pending)", () => SchemaMigrator.MigrateAsync(dataSource));
            var projections = CasePathwayProjections.For(TenantDirectory.Empty);
            using var store = await Step("Marten's store configured (no I/O)", () => Task.FromResult(DocumentStore.For(o =>
            {
                EventStoreOptions.Configure(o, dataSource);
                CasePathwayProjections.Register(o, projections, CasePathwayProjections.BatchSizeFromEnvironment());
            })));
            await Step("Marten: apply all configured changes (nothing to change)", async () => { await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(); return 0; });
            await Step("Marten: ensure StorageFeatures", async () => { await store.Storage.Database.EnsureStorageExistsAsync(typeof(StorageFeatures)); return 0; });
            await Step("Marten: ensure IEvent", async () => { await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent)); return 0; });
            await Step("read-model migrations needing the event store", () => SchemaMigrator.MigrateAsync(dataSource, eventStoreReady: true));
            await Step("Marten: database script generated (no I/O)", () => Task.FromResult(store.Storage.ToDatabaseScript().Length));
        }
        return 0;
    }
}
