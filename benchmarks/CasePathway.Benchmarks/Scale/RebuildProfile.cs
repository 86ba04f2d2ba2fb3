using System.Diagnostics;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Scorecard;
using CasePathway.Host.Runtime;
using CasePathway.Import.Demo;
using CasePathway.Projections;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Timeline;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using Marten;
using Marten.Services;
using Npgsql;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// `rebuild-profile --councils N --children M`: where a rebuild's time goes, phase by phase, on generated
/// councils (docs/performance.md, "Rebuild, phase by phase"). Each phase is timed over the whole data set in
/// the same run, so the shares compare however loaded the machine is.
/// </summary>
public static class RebuildProfile
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 12, 0);

    public static async Task<int> RunAsync(string[] args)
    {
        // `--cpu R`: only the rebuild and the command's catch-up (the backlog refolded), R times each, with the CPU
        // time this process and PostgreSQL spent on them (the figures to compare on a loaded machine).
        var at = Array.IndexOf(args, "--cpu");
        var cpuRounds = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var options = ScaleOptions.Parse(at >= 0 ? [.. args[..at], .. args[Math.Min(at + 2, args.Length)..]] : args);
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "cp_prof_" + Guid.NewGuid().ToString("N")[..12], CommandTimeout = 0 }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        var tenants = TenantDirectory.Empty;
        var projections = CasePathwayProjections.For(tenants);
        var store = await CasePathwayDatabase.OpenStoreAsync(dataSource, o => CasePathwayProjections.Register(o, projections));
        try
        {
            var appender = new PathwayAppender(new MartenEventStore(store), tenants.For, new FixedClock(Now));
            var events = 0L;
            for (var i = 0; i < options.Councils; i++)
            {
                var chunk = new List<PathwayEvent>();
                var n = 0;
                foreach (var child in DemoPathways.Stream($"bench{i + 1:000}", Now, options.Children, options.Years, HashCode.Combine(options.Seed, i), FrontDoorShape.England))
                {
                    chunk.AddRange(child);
                    if (++n % 500 != 0) continue;
                    await appender.AppendAsync(chunk, AppendSource.Import, allOrNothing: false);
                    events += chunk.Count;
                    chunk = [];
                }
                if (chunk.Count > 0) { await appender.AppendAsync(chunk, AppendSource.Import, allOrNothing: false); events += chunk.Count; }
            }
            Console.Error.WriteLine($"# {events} events appended");
            var control = new ProjectionControl(store, projections, TimeSpan.FromHours(1));
            if (cpuRounds > 0)
            {
                await CpuAsync(control, dataSource, projections, events, cpuRounds);
                return 0;
            }

            // The daemon's catch-up at Marten's batch size and at ours, from scratch each time; the time inside our
            // ApplyAsync (reading the streams, folding, building the row arrays) is told apart from the rest (Marten
            // loading the batch, running the queued SQL, committing its progression).
            foreach (var size in new[] { 500, CasePathwayProjections.DefaultBatchSize })
            {
                var timed = projections.Select(p => new TimedProjection(p)).ToList();
                using var sized = await CasePathwayDatabase.OpenStoreAsync(dataSource, o =>
                {
                    foreach (var p in timed) o.Projections.Add(p, JasperFx.Events.Projections.ProjectionLifecycle.Async, p.Inner.Name, a => a.BatchSize = size);
                });
                await using (var reset = dataSource.CreateCommand(
                    $"truncate {string.Join(", ", projections.SelectMany(p => p.Tables).Select(x => x.Name))}; delete from {EventStoreOptions.SchemaName}.mt_event_progression where name like '%:All'"))
                    await reset.ExecuteNonQueryAsync();
                var w = Stopwatch.StartNew();
                await new ProjectionControl(sized, projections, TimeSpan.FromHours(1)).CatchUpAsync();
                w.Stop();
                Console.WriteLine($"daemon catch-up, batches of {size} events: {w.Elapsed.TotalSeconds:F2} s ({events / w.Elapsed.TotalSeconds:N0} events/s); " +
                    $"{timed.Sum(p => p.Batches)} batches; inside ApplyAsync {timed.Sum(p => p.Elapsed.TotalSeconds):F2} s " +
                    $"({string.Join(", ", timed.Select(p => $"{p.Inner.Name} {p.Elapsed.TotalSeconds:F2} s"))}); the rest (Marten's load, the queued SQL, its commit) {(w.Elapsed - timed.Aggregate(TimeSpan.Zero, (a, p) => a + p.Elapsed)).TotalSeconds:F2} s");
            }
            var whole = Stopwatch.StartNew();
            await control.RebuildAsync(projections);
            whole.Stop();
            Console.WriteLine($"events {events}; " +
                $"rebuild of both {whole.Elapsed.TotalSeconds:F2} s ({events / whole.Elapsed.TotalSeconds:N0}/s)");

            await PhasesAsync(store, dataSource, tenants, events);
            await CopyPhasesAsync(store, dataSource, projections, events);
        }
        finally
        {
            store.Dispose();
            await dataSource.DisposeAsync();
            // CASEPATHWAY_KEEP_DB=1 keeps the database (its name on stderr) for a look at the server's side.
            if (Environment.GetEnvironmentVariable("CASEPATHWAY_KEEP_DB") == "1")
                Console.Error.WriteLine($"# kept {new NpgsqlConnectionStringBuilder(cs).Database}");
            else
            {
                await using var admin = new NpgsqlConnection(server);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"drop database if exists {new NpgsqlConnectionStringBuilder(cs).Database} with (force)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
        return 0;
    }

    /// <summary>The rebuild and the command's catch-up from scratch, each <paramref name="rounds"/> times: wall, this process's CPU and PostgreSQL's.</summary>
    private static async Task CpuAsync(ProjectionControl control, NpgsqlDataSource dataSource, IReadOnlyList<ChildProjection> projections, long events, int rounds)
    {
        var postmaster = await PostgresCpu.PostmasterAsync(dataSource);
        Console.WriteLine($"| run | events | wall s | events/s | client CPU s | client µs/event | server CPU s | server µs/event | bytes allocated/event | GCs (all / gen 2) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var kind in new[] { "rebuild", "catch-up" })
            {
                // As an import into an empty database finds them: no rows, no positions, the tables' statistics those of empty tables.
                if (kind == "catch-up")
                {
                    var tables = string.Join(", ", projections.SelectMany(p => p.Tables).Select(x => x.Name));
                    await using (var reset = dataSource.CreateCommand(
                        $"truncate {tables}; delete from {EventStoreOptions.SchemaName}.mt_event_progression where name like '%:All'"))
                        await reset.ExecuteNonQueryAsync();
                    await using (var analyze = dataSource.CreateCommand($"analyze {tables}"))
                        await analyze.ExecuteNonQueryAsync();
                }
                var (client, pg) = (Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu.Read(postmaster));
                var (bytes, gen0, gen2) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(2));
                var w = Stopwatch.StartNew();
                if (kind == "rebuild") await control.RebuildAsync(control.Projections);
                else await control.CatchUpAsync();
                w.Stop();
                var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - client).TotalSeconds;
                var pgCpu = PostgresCpu.Read(postmaster) - pg;
                Console.WriteLine($"| {kind} {round} | {events} | {w.Elapsed.TotalSeconds:F2} | {events / w.Elapsed.TotalSeconds:N0} | {clientCpu:F2} | {clientCpu * 1e6 / events:F1} | {pgCpu:F2} | {pgCpu * 1e6 / events:F1} | {(GC.GetTotalAllocatedBytes(precise: true) - bytes) / events:N0} | {GC.CollectionCount(0) - gen0} / {GC.CollectionCount(2) - gen2} |");
            }
        }
    }

    /// <summary>The rebuild's own path (<see cref="ProjectionControl.RebuildAsync(IReadOnlyList{ChildProjection}, int, Action{int}?, CancellationToken)"/>), phase by phase, without its overlap of reading and writing.</summary>
    private static async Task CopyPhasesAsync(DocumentStore store, NpgsqlDataSource dataSource, IReadOnlyList<ChildProjection> projections, long events)
    {
        var t = new Dictionary<string, TimeSpan>();
        void Add(string phase, Stopwatch w) => t[phase] = t.GetValueOrDefault(phase) + w.Elapsed;
        var children = await ChildrenAsync(dataSource);
        var reader = new MartenEventStore(store);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var truncate = new NpgsqlCommand($"truncate {string.Join(", ", projections.SelectMany(p => p.Tables).Select(x => x.Name))}", connection, tx))
            await truncate.ExecuteNonQueryAsync();
        foreach (var chunk in children.Chunk(ProjectionControl.DefaultChildrenPerChunk))
        {
            var w = Stopwatch.StartNew();
            var streams = await reader.ReadStreamsAsync(chunk, long.MaxValue);
            Add("1 read + deserialise streams (once for both)", w);
            foreach (var projection in projections)
            {
                w.Restart();
                var batch = projection.FoldChildren(chunk, streams);
                Add($"2 fold {projection.Name} (parallel across children)", w);
                for (var i = 0; i < projection.Tables.Count; i++)
                {
                    w.Restart();
                    await projection.Tables[i].CopyAsync(connection, batch.Rows[i], default);
                    Add($"3 binary COPY {projection.Tables[i].Name}", w);
                }
            }
        }
        await tx.RollbackAsync();
        PrintPhases($"the rebuild's path (chunks of {ProjectionControl.DefaultChildrenPerChunk}, both read models), phases run one after another:", t, events);
    }

    private static async Task PhasesAsync(DocumentStore store, NpgsqlDataSource dataSource, TenantDirectory tenants, long events)
    {
        var t = new Dictionary<string, TimeSpan>();
        void Add(string phase, Stopwatch w) => t[phase] = t.GetValueOrDefault(phase) + w.Elapsed;
        var children = await ChildrenAsync(dataSource);
        var reader = new MartenEventStore(store);
        var rows = new[] { PathwayProjection.ClockVersions, PathwayProjection.ChildTimeline, PathwayProjection.BreachReasonVersions, IndicatorFactsProjection.IndicatorFactsTable }
            .ToDictionary(x => x.Name, _ => new List<object?[]>());
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        var versions = 0L;
        foreach (var chunk in children.Chunk(500))
        {
            var w = Stopwatch.StartNew();
            var streams = await reader.ReadStreamsAsync(chunk, long.MaxValue);
            Add("1 read + deserialise streams", w);
            foreach (var row in rows.Values) row.Clear();
            foreach (var (tenant, child) in chunk)
            {
                var stream = streams[(tenant, child)];
                var context = tenants.For(tenant);
                w.Restart();
                var pe = stream.Select(e => e.ToPathwayEvent()).ToList();
                Add("2 ToPathwayEvent", w);
                w.Restart();
                var history = ClockHistory.Of(tenant, child, pe, context);
                Add("3 ClockHistory.Of", w);
                versions += history.Count;
                w.Restart();
                foreach (var v in history)
                {
                    var c = v.Clock;
                    rows["clock_versions"].Add([v.Tenant, v.Child, c.Rule, c.Episode, v.KnownFrom, v.KnownTo, v.RuleTitle, c.Unit.Name(), v.Team, v.Worker,
                        c.Started.Instant, c.Started.Date, c.Due.Date, c.Due.LocalDateTime, c.Due.Instant, c.OverdueFrom,
                        c.Stopped?.Instant, c.Stopped?.Date, c.Cancelled?.Instant, c.Cancelled?.Date, c.NotMeasurable, v.StoredExplanation]);
                }
                Add("4 clock rows (StoredExplanation, status)", w);
                w.Restart();
                foreach (var row in TimelineRow.Of(stream, pe, context))
                {
                    var e = row.Event;
                    rows["child_timeline"].Add([tenant, child, e.Sequence, e.Id, e.Type, e.OccurredAt.Instant, e.OccurredAt.Date, e.RecordedAt,
                        e.RecordedAtInferred, e.StoredAt, e.RecordedBy, e.SourceSystem, row.Retracted, row.LateWorkingDays, row.Team, row.Worker]);
                }
                Add("5 TimelineRow.Of", w);
                w.Restart();
                foreach (var v in BreachReasons.History(pe))
                {
                    var r = v.Reason;
                    rows["breach_reasons"].Add([tenant, child, r.Rule, r.Episode, v.KnownFrom, v.KnownTo, r.EventId, r.Code, r.Note, r.RecordedBy, r.RecordedAt]);
                }
                Add("6 BreachReasons.History", w);
                w.Restart();
                foreach (var f in IndicatorFacts.Of(pe, context.Calendar))
                    rows["indicator_facts"].Add([tenant, child, f.Indicator, f.EventId, f.Month.OnDayOfMonth(1), f.OccurredOn, f.Episode, f.Rule,
                        f.InNumerator, f.InDenominator, f.Value, f.Route, f.Source, f.Team]);
                Add("7 IndicatorFacts.Of", w);
            }
            w.Restart();
            var tables = new[] { PathwayProjection.ClockVersions, PathwayProjection.ChildTimeline, PathwayProjection.BreachReasonVersions, IndicatorFactsProjection.IndicatorFactsTable };
            var arrays = tables.Select(table => (Table: table, Columns: table.ColumnArrays(rows[table.Name]))).ToList();
            Add("8 row parameters (a typed array per column)", w);
            w.Restart();
            foreach (var table in tables) table.QueueDelete(session, chunk);
            await session.SaveChangesAsync();
            Add("9a SQL delete, 4 tables (rows present)", w);
            foreach (var (table, columns) in arrays)
            {
                if (rows[table.Name].Count == 0) continue;
                w.Restart();
                table.QueueInsert(session, columns);
                await session.SaveChangesAsync();
                Add($"9b SQL insert {table.Name} (unnest of arrays)", w);
            }
        }
        await tx.RollbackAsync();
        PrintPhases($"the daemon's row path (chunks of 500, a typed array per column through unnest, as the daemon queues them), phases over {events} events, {children.Count} children, {versions} clock versions, each child read once:", t, events);
    }

    /// <summary>Every stream in the store, in order: the children a rebuild folds.</summary>
    private static async Task<List<(string, string)>> ChildrenAsync(NpgsqlDataSource dataSource)
    {
        var children = new List<(string, string)>();
        await using var cmd = dataSource.CreateCommand($"select distinct tenant_id, stream_id from {EventStoreOptions.SchemaName}.mt_events order by 1, 2");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) children.Add((r.GetString(0), r.GetString(1)));
        return children;
    }

    /// <summary>A phase table in Markdown, each phase's share of the total.</summary>
    private static void PrintPhases(string title, IReadOnlyDictionary<string, TimeSpan> phases, long events)
    {
        var total = phases.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Console.WriteLine(title);
        Console.WriteLine("| phase | seconds | share |");
        Console.WriteLine("|---|---|---|");
        foreach (var (phase, span) in phases.OrderBy(x => x.Key))
            Console.WriteLine($"| {phase} | {span.TotalSeconds:F2} | {span / total:P0} |");
        Console.WriteLine($"| total | {total.TotalSeconds:F2} | ({events / total.TotalSeconds:N0} events/s) |");
    }
}

/// <summary>
/// PostgreSQL's CPU time on this machine: the postmaster's reaped children (<c>/proc/PID/stat</c> fields 16 and 17) and
/// its live children's own (fields 14 and 15), in seconds. Only meaningful when the server runs here.
/// </summary>
internal static class PostgresCpu
{
    public static async Task<int> PostmasterAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand("select pg_backend_pid()");
        var backend = (int)(await cmd.ExecuteScalarAsync())!;
        return int.Parse(Fields(backend)[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static double Read(int postmaster)
    {
        var own = Fields(postmaster);
        long ticks = long.Parse(own[15]) + long.Parse(own[16]);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == postmaster) continue;
            string[] f;
            try { f = Fields(pid); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            if (f[3] == postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)) ticks += long.Parse(f[13]) + long.Parse(f[14]);
        }
        return ticks / 100.0;
    }

    // The fields after the command name (which may hold spaces), numbered from 1 as proc(5) does: [0] is the pid.
    private static string[] Fields(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var close = text.LastIndexOf(')');
        return [text[..text.IndexOf(' ')], text[..(close + 1)], .. text[(close + 2)..].Split(' ')];
    }
}

internal sealed class TimedProjection(ChildProjection inner) : Marten.Events.Projections.IProjection
{
    public ChildProjection Inner => inner;
    public TimeSpan Elapsed { get; private set; }
    public int Batches { get; private set; }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<JasperFx.Events.IEvent> events, CancellationToken cancellation)
    {
        var w = Stopwatch.StartNew();
        await inner.ApplyAsync(operations, events, cancellation);
        Elapsed += w.Elapsed;
        Batches++;
    }
}
