using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// The server's connections broken at random points, as a database restart breaks them but many times over and
/// without waiting for a restart: writers and readers (some giving up after a few milliseconds, as impatient
/// clients do) while the server's database sessions are ended one at a time — an append, a read, the daemon's
/// batch or lock, Wolverine's — at random. Afterwards a newly breached child reaches the breach list by itself,
/// no session is left idle in a transaction, and nothing logged says a connection was used by two operations at
/// once or lost its place in the protocol ("A command is already in progress", "Received backend message").
/// <c>CASEPATHWAY_SOAK_STORM=SECONDS</c> makes the storm longer (docs/operations.md, Fault tests and soak runs).
/// </summary>
public sealed class ConnectionStormTests(ConnectionStormTests.Server server) : IClassFixture<ConnectionStormTests.Server>
{
    private const string Tenant = "KI";

    public sealed class Server : RuntimeServer
    {
        private readonly LogList _log = new(LogLevel.Warning);

        public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Log => _log.Lines;

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<ILoggerProvider>(_log);
    }

    private static int Seconds => int.TryParse(Environment.GetEnvironmentVariable("CASEPATHWAY_SOAK_STORM"), out var s) && s > 0 ? s : 5;

    [Fact]
    public async Task Sessions_ended_at_random_under_traffic_leave_nothing_wedged()
    {
        using var http = server.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds));
        var answers = new ConcurrentDictionary<string, int>();
        void Count(string what) => answers.AddOrUpdate(what, 1, (_, c) => c + 1);
        var n = 0;
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                using var impatient = new CancellationTokenSource(random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 60)) : TimeSpan.FromSeconds(30));
                try
                {
                    using var response = await http.PostAsync("/api/events", Body(Guid.NewGuid(), $"H{Interlocked.Increment(ref n) % 31}", "2024-03-13T09:00:00Z"), impatient.Token);
                    Count($"write {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is TaskCanceledException or HttpRequestException) { Count("write given up"); }
            }
        }));
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var random = new Random(100 + r);
            while (!stop.IsCancellationRequested)
            {
                using var impatient = new CancellationTokenSource(random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 60)) : TimeSpan.FromSeconds(30));
                try
                {
                    using var response = await http.GetAsync(random.Next(2) == 0 ? $"/api/breaches?tenant={Tenant}" : "/health/ready", impatient.Token);
                    Count($"read {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is TaskCanceledException or HttpRequestException) { Count("read given up"); }
            }
        }));
        var ended = 0;
        var killer = Task.Run(async () =>
        {
            var random = new Random(7);
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(100, 700));
                await using var cmd = new NpgsqlCommand(
                    """
                    select count(pg_terminate_backend(pid)) from (
                      select pid from pg_stat_activity
                      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                      order by random() limit 1) p
                    """, admin);
                ended += Convert.ToInt32(await cmd.ExecuteScalarAsync());
            }
        });
        await Task.WhenAll(writers.Concat(readers).Append(killer));

        var marker = "M" + Guid.NewGuid().ToString("N")[..8];
        var watch = Stopwatch.StartNew();
        HttpStatusCode posted = 0;
        while (posted != HttpStatusCode.Created && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await http.PostAsync("/api/events", Body(Guid.NewGuid(), marker, "2024-03-01T09:00:00Z"));
            posted = response.StatusCode;
            if (posted != HttpStatusCode.Created) await Task.Delay(250);
        }
        var listed = false;
        while (!listed && watch.Elapsed < TimeSpan.FromSeconds(40))
        {
            // A pooled connection the storm ended while idle fails the first request to take it: 503 with Retry-After,
            // and the pool is dropped (ProblemResponses). A client told to try again does, as the POST above does.
            using var response = await http.GetAsync($"/api/breaches?tenant={Tenant}");
            listed = response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains(marker);
            if (!listed) await Task.Delay(250);
        }
        var idle = new List<string>();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "select pid, state, now() - state_change from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and now() - state_change > interval '5 seconds'", connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) idle.Add($"{reader.GetValue(0)} {reader.GetValue(1)} for {reader.GetValue(2)}");
        }
        var log = server.Log.ToList();
        var summary = $"{Seconds} s, {ended} sessions ended; answers: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key} ×{a.Value}"))}; " +
                      $"projections: {string.Join("; ", (await server.Runtime.Projections.StatusAsync()).Select(s => $"{s.Name} at {s.Position} of {s.HighWaterMark}"))}";

        ended.ShouldBeGreaterThan(0, summary);
        posted.ShouldBe(HttpStatusCode.Created, summary);
        listed.ShouldBeTrue("a child breached after the storm reaches the breach list by itself: " + summary + "\n" +
                            string.Join("\n", log.Where(l => l.Category.StartsWith("Marten", StringComparison.Ordinal)).TakeLast(3).Select(l => l.Message.Split('\n')[0])));
        idle.ShouldBeEmpty("no session left idle in a transaction: " + summary);
        log.ShouldNotContain(l => l.Message.Contains("already in progress") || l.Message.Contains("Received backend message"),
            string.Join("\n----\n", log.Where(l => l.Message.Contains("already in progress") || l.Message.Contains("Received backend message")).Take(2).Select(l => l.Message)));
    }

    private static StringContent Body(Guid id, string child, string occurredAt) => new(JsonSerializer.Serialize(new
    {
        id, tenant = Tenant, child, type = "ContactReceived", occurredAt, recordedBy = "worker-a",
        data = new { contactId = "K" + id.ToString("N")[..8], route = "mash" },
    }), Encoding.UTF8, "application/json");
}
