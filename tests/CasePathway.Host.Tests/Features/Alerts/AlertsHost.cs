using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CasePathway.Domain.Tenants;
using CasePathway.Host.Runtime;
using CasePathway.Host.Tests.Security;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using CasePathway.Testing;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using Npgsql;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>"Now" as the test says: held still until moved.</summary>
public sealed class MovableClock(Instant now) : IClock
{
    public Instant Now { get; set; } = now;
    public Instant GetCurrentInstant() => Now;
}

/// <summary>
/// The server as <c>serve</c> runs it (runtime, daemon, Wolverine's durable storage) over a database of its own,
/// with morning alerts going to a loopback channel; it can be stopped and started again over the same database, as
/// a restart does. Council A sends its alerts at <see cref="SendsAt"/>, a few seconds after the pinned "now".
/// </summary>
public sealed class AlertsHost(IReadOnlyDictionary<string, string?> alertSettings, LocalTime? sendsAt = null) : TestDatabase
{
    /// <summary>Thursday 14 March 2024, 10:00 in London (GMT).</summary>
    public static readonly Instant Now = Instant.FromUtc(2024, 3, 14, 10, 0);
    public static readonly LocalDate Today = new(2024, 3, 14);

    public LocalTime SendsAt { get; } = sendsAt ?? new LocalTime(10, 0, 6);
    public MovableClock Clock { get; } = new(Now);
    public CasePathwayRuntime? Runtime { get; private set; }
    public WebApplication? App { get; private set; }
    public Uri BaseAddress { get; private set; } = null!;
    private string token = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartAsync();
        // clocks of three children: two of team MASH (one breached, one due within two working days), one of EAST
        token = await TestAccess.TokenAsync(App!, BaseAddress, [Host.Security.Roles.Feed, Host.Security.Roles.QaLead], ["A"]);
        using var http = new HttpClient { BaseAddress = BaseAddress }.WithToken(token);
        foreach (var (child, received, team) in new[] { ("MA1", "2024-03-08T09:15:00Z", "MASH"), ("MA2", "2024-03-13T09:15:00Z", "MASH"), ("EA1", "2024-03-08T09:15:00Z", "EAST") })
        {
            var batch = new JsonArray(Contact(child, occurredAt: received),
                Event(child, "CaseAllocated", received, new JsonObject { ["team"] = team, ["worker"] = "w-" + team.ToLowerInvariant() }));
            var response = await http.PostAsync("/api/events", Body(batch));
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await Runtime!.CatchUpAsync();
    }

    public async Task StartAsync()
    {
        Runtime = await CasePathwayRuntime.OpenAsync(ConnectionString,
            new TenantDirectory([new TenantSettings("A", "Alpha Borough Council", AlertsAt: SendsAt)]), Clock);
        App = WebApp.Build(
            new WebAppSettings
            {
                Urls = "http://127.0.0.1:0",
                Configuration = new Dictionary<string, string?>
                {
                    ["Logging:LogLevel:Default"] = "Warning",
                    ["CasePathway:Alerts:PublicUrl"] = "https://casepathway.alpha.example/",
                    ["CasePathway:Alerts:RetryDelaysSeconds"] = "1,1,1",
                }.Concat(alertSettings).ToDictionary(),
            },
            services => services.AddCasePathwayRuntime(Runtime));
        await App.StartAsync();
        BaseAddress = new Uri(WebApp.Addresses(App).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
    }

    public async Task StopAsync()
    {
        if (App is not null) { await App.StopAsync(); await App.DisposeAsync(); App = null; }
        if (Runtime is not null) { await Runtime.DisposeAsync(); Runtime = null; }
    }

    /// <summary>
    /// Subscribes as a duty manager of team MASH does: the page's form, with its antiforgery token, signed in with a
    /// token of a new duty-manager client. The subscription's id.
    /// </summary>
    public async Task<Guid> SubscribeAsync(string email = "mash.manager@alpha.example", string within = "2")
    {
        var manager = await TestAccess.TokenAsync(App!, BaseAddress, [Host.Security.Roles.DutyManager], ["A"], ["MASH"]);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress }.WithToken(manager);
        var form = await http.GetStringAsync("/alerts?tenant=A");
        var antiforgery = Regex.Match(form, @"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""").Groups[1].Value;
        antiforgery.ShouldNotBeEmpty(form);
        var response = await http.PostAsync("/alerts?tenant=A", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Team"] = "MASH", ["Email"] = email, ["Within"] = within, ["__RequestVerificationToken"] = antiforgery,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        await using var cmd = DataSource.CreateCommand("select id from alert_subscriptions where cancelled_at is null and team = 'MASH' order by created_at desc limit 1");
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<List<(LocalDate Date, string Outcome, int Attempts, string? Detail, int Clocks)>> DeliveriesAsync(Guid subscription)
    {
        await using var cmd = DataSource.CreateCommand("select local_date, outcome, attempts, detail, clocks from alert_deliveries where subscription = $1 order by local_date");
        cmd.Parameters.Add(new NpgsqlParameter { Value = subscription });
        var list = new List<(LocalDate, string, int, string?, int)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetFieldValue<LocalDate>(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        }
        return list;
    }

    public async Task<LocalDate> NextDateAsync(Guid subscription)
    {
        await using var cmd = DataSource.CreateCommand("select next_date from alert_subscriptions where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = subscription });
        return (LocalDate)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Messages waiting in Wolverine's durable storage for this subscription (scheduled or not yet handled).</summary>
    public async Task<int> WaitingMessagesAsync()
    {
        await using var cmd = DataSource.CreateCommand($"select count(*) from {Messaging.Schema}.wolverine_incoming_envelopes where message_type like '%SendMorningAlert%' and status in ('Scheduled', 'Incoming')");
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>What Wolverine holds of the alert messages (for a failure's message): each waiting envelope and each dead letter.</summary>
    public async Task<string> WolverineStateAsync()
    {
        var lines = new List<string> { "now " + DateTimeOffset.UtcNow.ToString("O") };
        await using (var cmd = DataSource.CreateCommand($"select status, owner_id, execution_time, attempts, message_type from {Messaging.Schema}.wolverine_incoming_envelopes"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add($"incoming {reader.GetValue(0)} owner {reader.GetValue(1)} at {reader.GetValue(2)} attempts {reader.GetValue(3)} {reader.GetValue(4)}");
        await using (var cmd = DataSource.CreateCommand($"select message_type, exception_type, exception_message from {Messaging.Schema}.wolverine_dead_letters"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add($"dead letter {reader.GetValue(0)} {reader.GetValue(1)}: {reader.GetValue(2)}");
        return string.Join("\n", lines);
    }

    /// <summary>Waits for this subscription's deliveries to reach <paramref name="count"/>, saying what Wolverine holds when they do not.</summary>
    public async Task DeliveredAsync(Guid subscription, int count, int seconds = 60)
    {
        try { await EventuallyAsync(async () => (await DeliveriesAsync(subscription)).Count >= count, $"{count} deliveries", seconds); }
        catch (ShouldAssertException e) { throw new ShouldAssertException(e.Message + "\n" + await WolverineStateAsync()); }
    }

    public override async Task DisposeAsync()
    {
        await StopAsync();
        await base.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="done"/> holds (polling), or fails after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"not within {seconds}s: {what}");
            await Task.Delay(250);
        }
    }
}
