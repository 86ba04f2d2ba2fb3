using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Import.Demo;
using CasePathway.Projections;
using CasePathway.Projections.Daemon;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Scorecard;

using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using CasePathway.Store.Schema;
using Marten;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// One run that measures CasePathway at growing sizes and, in the same run on the same database server, the
/// physical limit each figure should be read against: bulk import against a raw binary COPY of the same rows
/// into bare tables with Marten's columns and indexes; single appends against raw single-row INSERT
/// transactions at the same concurrency; a rebuild against a raw sequential read of the events; and the
/// readers' p50/p99. Ratios, not seconds, are what carry from one machine to another.
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ScaleOptions.Parse(args);
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB")
            ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set: export CASEPATHWAY_DB=$(ops/db start | tail -1)");
        var report = new ScaleReport(options);
        foreach (var factor in options.Factors)
        {
            Console.Error.WriteLine($"# scale {factor}×: {options.Councils} councils × {options.Children * factor} children");
            await using var run = await ScaleRun.CreateAsync(server, options, factor);
            await run.MeasureAsync(report);
        }
        report.Write(Console.Out);
        if (options.JsonPath is { } path) await File.WriteAllTextAsync(path, report.ToJson());
        return 0;
    }
}

/// <param name="Only">A part of the run alone: <c>single-appends</c> (raw inserts, the one way in and HTTP, at each concurrency).</param>
public sealed record ScaleOptions(int Councils, int Children, int Years, int Seed, IReadOnlyList<int> Factors, int Samples, string? JsonPath, string? Only = null)
{
    public static ScaleOptions Parse(string[] args)
    {
        var o = new ScaleOptions(3, 2000, 1, 1, [1, 10], 200, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]}: a value is required");
            o = args[i] switch
            {
                "--councils" => o with { Councils = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--children" => o with { Children = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--years" => o with { Years = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--factors" => o with { Factors = Next().Split(',').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToList() },
                "--samples" => o with { Samples = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--json" => o with { JsonPath = Next() },
                "--only" => o with { Only = Next() is "single-appends" ? "single-appends" : throw new ArgumentException("--only: single-appends is the one part run alone") },
                var other => throw new ArgumentException($"{other}: not an option of scale (--councils --children --years --seed --factors --samples --json --only)"),
            };
        }
        return o;
    }
}

/// <summary>One size: a fresh database, the generated councils, every measurement.</summary>
internal sealed class ScaleRun : IAsyncDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 12, 0);
    private readonly ScaleOptions _options;
    private readonly int _factor;
    private readonly string _connectionString;
    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentStore _store;
    private readonly IReadOnlyList<ChildProjection> _projections;
    private readonly TenantDirectory _tenants = TenantDirectory.Empty;

    private ScaleRun(ScaleOptions options, int factor, string connectionString, NpgsqlDataSource dataSource, DocumentStore store, IReadOnlyList<ChildProjection> projections)
    {
        (_options, _factor, _connectionString, _dataSource, _store, _projections) = (options, factor, connectionString, dataSource, store, projections);
    }

    public static async Task<ScaleRun> CreateAsync(string server, ScaleOptions options, int factor)
    {
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_scale_" + Guid.NewGuid().ToString("N")[..12], CommandTimeout = 0 }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        var projections = CasePathwayProjections.For(TenantDirectory.Empty);
        var store = await CasePathwayDatabase.OpenStoreAsync(dataSource, o => CasePathwayProjections.Register(o, projections, CasePathwayProjections.BatchSizeFromEnvironment()));
        return new ScaleRun(options, factor, cs, dataSource, store, projections);
    }

    private IReadOnlyList<string> Councils => Enumerable.Range(1, _options.Councils).Select(i => $"bench{i:000}").ToList();

    private int ChildrenPerCouncil => _options.Children * _factor;

    /// <summary>The councils' events, a chunk of children at a time; the same every call (seeded).</summary>
    private IEnumerable<List<PathwayEvent>> Chunks(int childrenPerChunk = PathwayAppender.ImportChunkChildren)
    {
        var chunk = new List<PathwayEvent>();
        var inChunk = 0;
        for (var i = 0; i < Councils.Count; i++)
        {
            foreach (var child in DemoPathways.Stream(Councils[i], Now, ChildrenPerCouncil, _options.Years, HashCode.Combine(_options.Seed, i), FrontDoorShape.England))
            {
                chunk.AddRange(child);
                if (++inChunk < childrenPerChunk) continue;
                yield return chunk;
                (chunk, inChunk) = ([], 0);
            }
        }
        if (chunk.Count > 0) yield return chunk;
    }

    public async Task MeasureAsync(ScaleReport report)
    {
        var size = $"{_factor}×";
        if (_options.Only == "single-appends")
        {
            await SingleAppendsAsync(report, size, new PathwayAppender(new MartenEventStore(_store), _tenants.For, new FixedClock(Now)));
            return;
        }
        // The data first (generated once into memory-light chunks; generation is not timed).
        var chunks = Chunks().ToList();
        var events = chunks.Sum(c => c.Count);
        report.Size(size, events, _options.Councils * (long)ChildrenPerCouncil);

        var copy = await RawCopyAsync(chunks);
        report.Throughput(size, "raw binary COPY (events + streams, Marten's columns and indexes)", events, copy);

        var appender = new PathwayAppender(new MartenEventStore(_store), _tenants.For, new FixedClock(Now));
        var append = await TimeAsync(async () =>
        {
            // One call, as an import hands the one way in its events: 500 children a chunk, two chunks in flight.
            await appender.AppendAsync(chunks.SelectMany(c => c).ToList(), AppendSource.Import, allOrNothing: false);
        });
        report.Throughput(size, "bulk append (import's one way in, 500 children a chunk, 2 in flight)", events, append, copy);

        var control = new ProjectionControl(_store, _projections, TimeSpan.FromHours(2));
        var catchUp = await TimeAsync(() => control.CatchUpAsync());
        // A backlog this size is refolded by the command (ProjectionControl.RefoldFromEvents), not run through Marten's daemon.
        report.Throughput(size, "catch-up of every read model (the backlog refolded, as import does)", events, catchUp);
        report.Throughput(size, "whole import: append + every read model current", events, append + catchUp, copy);

        var read = await RawSequentialReadAsync();
        report.Throughput(size, "raw sequential read of the events", events, read);
        var rebuild = await TimeAsync(async () =>
        {
            await control.RebuildAsync(_projections);
        });
        report.Throughput(size, "rebuild of every read model", events, rebuild, read);

        await SingleAppendsAsync(report, size, appender);
        await ReadersAsync(report, size, chunks);
    }

    private async Task SingleAppendsAsync(ScaleReport report, string size, PathwayAppender appender)
    {
        await using var server = await LoopbackServer.StartAsync(_connectionString, new FixedClock(Now), ["live"]);
        await HttpAppendsAsync(server, 0, 50); // warm: the first requests pay for JIT and the pools
        foreach (var concurrency in new[] { 1, 8, 32 })
        {
            var raw = await RawInsertsAsync(concurrency);
            report.Latencies(size, $"raw single-row INSERT transactions, concurrency {concurrency}", raw.Latencies, raw.Elapsed);
            var live = await LiveAppendsAsync(appender, concurrency);
            report.Latencies(size, $"single-event append (one way in, no HTTP), concurrency {concurrency}", live.Latencies, live.Elapsed, raw);
            var http = await HttpAppendsAsync(server, concurrency);
            report.Latencies(size, $"single-event append over HTTP (POST /api/events, bearer client, loopback), concurrency {concurrency}", http.Latencies, http.Elapsed, raw);
        }
    }

    private async Task ReadersAsync(ScaleReport report, string size, List<List<PathwayEvent>> chunks)
    {
        var clock = new FixedClock(Now);
        var breaches = new BreachListQuery(_dataSource, _tenants, clock);
        var council = Councils[0];
        var team = chunks[0].Select(e => e.Data).OfType<CaseAllocated>().First(a => a.Team?.StartsWith("Assessment", StringComparison.Ordinal) == true).Team;
        var past = Now - Duration.FromDays(90);
        report.Latencies(size, "breach list, one team, now", await SampleAsync(() => breaches.GetAsync(new BreachListRequest(council, Team: team))));
        report.Latencies(size, "breach list, one council, now (first page of 50)", await SampleAsync(() => breaches.GetAsync(new BreachListRequest(council))));
        report.Latencies(size, "breach list, one council, as at 90 days ago", await SampleAsync(() => breaches.GetAsync(new BreachListRequest(council, AsAt: past))));
        // A deep page: the last one, where an offset would cost most.
        var pages = Math.Max(1, (await breaches.GetAsync(new BreachListRequest(council))).TotalPages);
        report.Latencies(size, $"breach list, one council, now (last page, {pages} of 50)", await SampleAsync(() => breaches.GetAsync(new BreachListRequest(council, Page: pages))));
        var pastPages = Math.Max(1, (await breaches.GetAsync(new BreachListRequest(council, AsAt: past))).TotalPages);
        report.Latencies(size, $"breach list, one council, as at 90 days ago (last page, {pastPages} of 50)", await SampleAsync(() => breaches.GetAsync(new BreachListRequest(council, AsAt: past, Page: pastPages))));

        var replay = new ChildReplayQuery(new MartenEventStore(_store), _tenants, clock);
        var children = chunks.SelectMany(c => c).Where(e => e.Tenant == council).Select(e => e.Child).Distinct().Take(5000).ToArray();
        var random = new Random(7);
        report.Latencies(size, "child replay as at a past instant", await SampleAsync(() =>
            replay.GetAsync(council, children[random.Next(children.Length)], past)));

        var scorecard = new ScorecardQuery(_dataSource, _tenants);
        var month = London.DateOf(Now).ToYearMonth().PlusMonths(-1);
        report.Latencies(size, "scorecard, one council, 12 months", await SampleAsync(() => scorecard.GetMonthsAsync(council, month, 12), Math.Max(5, _options.Samples / 20)));
        report.Latencies(size, $"scorecard, all {Councils.Count} councils, 12 months", await SampleAllAsync(async () =>
        {
            foreach (var c in Councils) await scorecard.GetMonthsAsync(c, month, 12);
        }, 5));
    }

    private async Task<List<TimeSpan>> SampleAsync<T>(Func<Task<T>> read, int? samples = null)
    {
        await read(); // warm
        var result = new List<TimeSpan>();
        for (var i = 0; i < (samples ?? _options.Samples); i++)
        {
            var watch = Stopwatch.StartNew();
            await read();
            result.Add(watch.Elapsed);
        }
        return result;
    }

    private Task<List<TimeSpan>> SampleAllAsync(Func<Task> read, int samples) =>
        SampleAsync(async () => { await read(); return 0; }, samples);

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed;
    }

    /// <summary>The raw COPY the bulk append is read against (<see cref="RawCopy"/>).</summary>
    private Task<TimeSpan> RawCopyAsync(List<List<PathwayEvent>> chunks) => RawCopy.RunAsync(_dataSource, chunks, Now);

    /// <summary>Every event's row, in sequence, as the rebuild reads them (bodies and headers included).</summary>
    private async Task<TimeSpan> RawSequentialReadAsync() => await TimeAsync(async () =>
    {
        await using var cmd = _dataSource.CreateCommand(
            $"select seq_id, tenant_id, stream_id, version, id, type, data, timestamp, headers from {EventStoreOptions.SchemaName}.mt_events order by seq_id");
        await using var reader = await cmd.ExecuteReaderAsync();
        long bytes = 0;
        while (await reader.ReadAsync()) bytes += reader.GetString(6).Length + (reader.IsDBNull(8) ? 0 : reader.GetString(8).Length);
        if (bytes == 0) throw new InvalidOperationException("No events were read.");
    });

    private const int SingleOperations = 2000;

    private async Task<LatencyRun> RawInsertsAsync(int concurrency)
    {
        await ExecuteAsync($"create table if not exists raw_single (like {EventStoreOptions.SchemaName}.mt_events including all)");
        var seq = 10_000_000_000L * concurrency;
        return await ConcurrentAsync(concurrency, async i =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand(
                "insert into raw_single (seq_id, id, stream_id, version, data, type, timestamp, tenant_id) values ($1, $2, $3, 1, '{}'::jsonb, 'ContactReceived', now(), 'raw')",
                connection, tx);
            cmd.Parameters.Add(new() { Value = Interlocked.Increment(ref seq) });
            cmd.Parameters.Add(new() { Value = Guid.NewGuid() });
            cmd.Parameters.Add(new() { Value = $"R{concurrency}-{i}" });
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        });
    }

    private static Task<LatencyRun> LiveAppendsAsync(PathwayAppender appender, int concurrency) =>
        ConcurrentAsync(concurrency, async i =>
        {
            var at = Now - Duration.FromHours(1);
            var e = new PathwayEvent(Guid.NewGuid(), "live", $"L{concurrency}-{i}", Occurrence.At(at), new ContactReceived($"L{i}", ContactRoute.Mash), at, "bench", "bench");
            await appender.AppendAsync([e], AppendSource.Live, allOrNothing: true);
        });

    /// <summary>One new child per request, as <see cref="LiveAppendsAsync"/> appends them, but each a POST to the real server.</summary>
    private static Task<LatencyRun> HttpAppendsAsync(LoopbackServer server, int concurrency, int operations = SingleOperations) =>
        ConcurrentAsync(Math.Max(1, concurrency), async i =>
        {
            var at = Now - Duration.FromHours(1);
            var e = new PathwayEvent(Guid.NewGuid(), "live", $"H{concurrency}-{i}", Occurrence.At(at), new ContactReceived($"H{i}", ContactRoute.Mash), at, "bench", "bench");
            await server.AppendAsync(e);
        }, operations);

    private static async Task<LatencyRun> ConcurrentAsync(int concurrency, Func<int, Task> operation, int operations = SingleOperations)
    {
        var latencies = new TimeSpan[operations];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                var one = Stopwatch.StartNew();
                await operation(i);
                latencies[i] = one.Elapsed;
            }
        })));
        return new LatencyRun(latencies, watch.Elapsed);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _store.Dispose();
        await _dataSource.DisposeAsync();
        await Database.DropAsync(_connectionString);
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

internal sealed record LatencyRun(IReadOnlyList<TimeSpan> Latencies, TimeSpan Elapsed)
{
    public double PerSecond => Latencies.Count / Elapsed.TotalSeconds;
}
