using System.Diagnostics;
using CasePathway.Domain.Scorecard;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Import.Demo;
using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using Npgsql;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// `england-scorecard --councils N --children M [--samples S]`: the England-year scorecard at England's volume
/// without generating and projecting England's events (hours on this machine). One council-year of generated
/// children is folded into its indicator facts by the scorecard projection's own pure code; those facts are
/// copied in under N council names (each council alike, as many facts as a council of M children a year), the
/// table is vacuumed as autovacuum would, and the scorecard read — every council's 12 months, one after the
/// other, through the board's own query — is timed (docs/performance.md, "England-year scorecard").
/// </summary>
public static class EnglandScorecard
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 12, 0);

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--samples");
        var samples = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var options = ScaleOptions.Parse(at >= 0 ? [.. args[..at], .. args[Math.Min(at + 2, args.Length)..]] : args);
        var server = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") ?? throw new InvalidOperationException("CASEPATHWAY_DB is not set");
        var database = "cp_england_" + Guid.NewGuid().ToString("N")[..12];
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = database, CommandTimeout = 0 }.ConnectionString;
        var dataSource = await CasePathwayDatabase.PrepareAsync(cs);
        try
        {
            var calendar = TenantDirectory.Empty.For("template").Calendar;
            var facts = new List<object?[]>();
            var events = 0;
            foreach (var child in DemoPathways.Stream("template", Now, options.Children, options.Years, options.Seed, FrontDoorShape.England))
            {
                if (child.Count == 0) continue;
                events += child.Count;
                // As an import stores them: an event without recordedAt is known from its occurrence.
                var recorded = child.Select(e => e with { RecordedAt = e.RecordedAt ?? e.OccurredAt.ToInstant() }).ToList();
                foreach (var f in IndicatorFacts.Of(recorded, calendar))
                    facts.Add([null, child[0].Child, f.Indicator, f.EventId, f.Month.OnDayOfMonth(1), f.OccurredOn, f.Episode, f.Rule,
                        f.InNumerator, f.InDenominator, f.Value, f.Route, f.Source, f.Team]);
            }
            Console.WriteLine($"# one council: {options.Children} children, {events} events, {facts.Count} indicator facts; copied for {options.Councils} councils");

            var councils = Enumerable.Range(1, options.Councils).Select(i => $"la{i:000}").ToList();
            var load = Stopwatch.StartNew();
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                foreach (var council in councils)
                    await IndicatorFactsProjection.IndicatorFactsTable.CopyAsync(connection, facts.Select(r => { var row = (object?[])r.Clone(); row[0] = council; return row; }).ToList(), CancellationToken.None);
                await using var vacuum = new NpgsqlCommand("vacuum analyze indicator_facts", connection);
                await vacuum.ExecuteNonQueryAsync();
            }
            load.Stop();
            Console.WriteLine($"# {(long)facts.Count * councils.Count:N0} facts loaded and vacuumed in {load.Elapsed.TotalSeconds:F1} s ({(long)events * councils.Count:N0} events' worth)");

            var scorecard = new ScorecardQuery(dataSource, TenantDirectory.Empty);
            var month = London.DateOf(Now).ToYearMonth().PlusMonths(-1);
            await scorecard.GetMonthsAsync(councils[0], month, 12); // warm
            var one = new List<TimeSpan>();
            for (var i = 0; i < Math.Max(samples, 20); i++)
            {
                var w = Stopwatch.StartNew();
                await scorecard.GetMonthsAsync(councils[i % councils.Count], month, 12);
                one.Add(w.Elapsed);
            }
            var england = new List<TimeSpan>();
            for (var i = 0; i < samples; i++)
            {
                var w = Stopwatch.StartNew();
                foreach (var council in councils) await scorecard.GetMonthsAsync(council, month, 12);
                england.Add(w.Elapsed);
            }
            Console.WriteLine("| measure | p50 | p99 | samples |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| scorecard, one council, 12 months | {Ms(one, 0.5)} | {Ms(one, 0.99)} | {one.Count} |");
            Console.WriteLine($"| scorecard, all {councils.Count} councils, 12 months (England-year) | {Ms(england, 0.5)} | {Ms(england, 0.99)} | {england.Count} |");
            return 0;
        }
        finally
        {
            await dataSource.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string Ms(List<TimeSpan> samples, double quantile)
    {
        var sorted = samples.Order().ToList();
        var value = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
        return value.TotalSeconds >= 1 ? $"{value.TotalSeconds:F2} s" : $"{value.TotalMilliseconds:F1} ms";
    }
}
