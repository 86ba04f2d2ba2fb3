using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Host.Runtime;
using CasePathway.Host.Security;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// The real web app as <c>serve</c> runs it (Kestrel on 127.0.0.1 at a port the system chose, the real runtime,
/// POST /api/events), on the benchmark's database, and a client signed in as a feed of the given councils with a
/// bearer token from the server's own /connect/token — as the tests do. The projections' daemon does not run,
/// so the appends are measured as the one-way-in rows are, without the catch-up beside them.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly CasePathwayRuntime _runtime;
    private readonly WebApplication _app;

    private LoopbackServer(CasePathwayRuntime runtime, WebApplication app, HttpClient client) =>
        (_runtime, _app, Client) = (runtime, app, client);

    public HttpClient Client { get; }

    public static async Task<LoopbackServer> StartAsync(string connectionString, IClock clock, IReadOnlyList<string> councils)
    {
        var runtime = await CasePathwayRuntime.OpenAsync(connectionString, TenantDirectory.Empty, clock);
        var app = WebApp.Build(
            new WebAppSettings
            {
                Urls = "http://127.0.0.1:0",
                Configuration = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
            },
            services => services.AddCasePathwayRuntime(runtime, runProjections: false));
        await app.StartAsync();
        var address = new Uri(WebApp.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));

        // A machine client as an operator makes one (the accounts table, a hashed secret), signed in as a client does.
        _ = app.Services.GetRequiredService<SharedKeys>();
        var accounts = app.Services.GetRequiredService<AccountStore>();
        await accounts.AddCouncilsAsync(councils, "bench");
        var id = "bench-" + Guid.NewGuid().ToString("N")[..12];
        var secret = AccountStore.NewSecret();
        if (!await accounts.AddAsync(AccountKind.Client, id, secret, [Roles.Feed], councils, []))
            throw new InvalidOperationException("The benchmark's client could not be added.");
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using (var token = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        })))
        {
            var body = await token.Content.ReadAsStringAsync();
            if (!token.IsSuccessStatusCode) throw new InvalidOperationException($"No token: {(int)token.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        }
        return new LoopbackServer(runtime, app, client);
    }

    /// <summary>POSTs one event; anything but 201 Created is a failed benchmark.</summary>
    public async Task AppendAsync(PathwayEvent e)
    {
        using var content = new StringContent(EventJson.Serialize(e), Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/api/events", content);
        if ((int)response.StatusCode != 201)
            throw new InvalidOperationException($"POST /api/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }
}
