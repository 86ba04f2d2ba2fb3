using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Projections.Daemon;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using Marten;
using NodaTime;
using Npgsql;

namespace CasePathway.Benchmarks;

/// <summary>
/// Appends against a real PostgreSQL (CASEPATHWAY_DB's server, a fresh cp_bench_* database dropped at the
/// end). Bulk: one transaction of <see cref="EventsPerBulk"/> events over 10-event streams, new tenants
/// each time; results are per event (OperationsPerInvoke). Single: one event per transaction.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class EventStoreBenchmarks
{
    private const int EventsPerBulk = 100_000;
    private const int EventsPerStream = 10;
    private const int SingleAppends = 200;

    private string _connectionString = "";
    private NpgsqlDataSource _dataSource = null!;
    private DocumentStore _documentStore = null!;
    private MartenEventStore _store = null!;
    private StreamAppend[] _bulk = [];
    private int _round;

    [GlobalSetup]
    public async Task Setup()
    {
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB")
            ?? throw new InvalidOperationException("Set CASEPATHWAY_DB (export CASEPATHWAY_DB=$(ops/db start | tail -1)).");
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = "cp_bench_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
        _dataSource = await CasePathwayDatabase.PrepareAsync(_connectionString);
        _documentStore = await CasePathwayDatabase.OpenStoreAsync(_dataSource);
        _store = new MartenEventStore(_documentStore);
    }

    [IterationSetup(Target = nameof(BulkAppend))]
    public void PrepareBulk()
    {
        var tenant = "T" + _round++;
        var start = Instant.FromUtc(2022, 10, 3, 8, 0);
        _bulk = Enumerable.Range(0, EventsPerBulk / EventsPerStream)
            .Select(s => new StreamAppend(tenant, "C" + s, ExpectedVersion.NoStream,
                Enumerable.Range(0, EventsPerStream)
                    .Select(e => new NewEvent(Guid.NewGuid(), new ContactReceived("K" + e, ContactRoute.Mash),
                        Occurrence.At(start + Duration.FromMinutes(e)), RecordedBy: "bench", SourceSystem: "lcs"))
                    .ToArray()))
            .ToArray();
    }

    [Benchmark(OperationsPerInvoke = EventsPerBulk)]
    public Task<BulkAppendResult> BulkAppend() => _store.BulkAppendAsync(_bulk);

    [Benchmark(OperationsPerInvoke = SingleAppends)]
    public async Task SingleAppend()
    {
        var tenant = "S" + _round++;
        var at = Occurrence.At(Instant.FromUtc(2022, 10, 3, 8, 0));
        for (var i = 0; i < SingleAppends; i++)
            await _store.AppendAsync(tenant, "C" + i, ExpectedVersion.NoStream,
                [new NewEvent(Guid.NewGuid(), new ContactReceived("K1", ContactRoute.Mash), at)]);
    }

    /// <summary>What status and readiness read as the log's end (the hand-written high-water mark is gone).</summary>
    [Benchmark]
    public Task<long> CommittedCeiling() => new ProjectionControl(_documentStore, []).CommittedCeilingAsync();

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _documentStore.Dispose();
        await _dataSource.DisposeAsync();
        await Database.DropAsync(_connectionString);
    }
}
