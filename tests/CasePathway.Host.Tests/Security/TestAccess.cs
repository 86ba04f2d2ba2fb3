using System.Net.Http.Headers;
using System.Text.Json;
using CasePathway.Host.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CasePathway.Host.Tests.Security;

/// <summary>
/// Accounts for tests, made as an operator makes them (the accounts table, hashed secrets) and signed in the way a
/// client signs in: a token from the server's own POST /connect/token. Nothing in the app is relaxed for tests.
/// </summary>
public static class TestAccess
{
    /// <summary>The councils the existing tests read and write.</summary>
    public static readonly string[] Councils = ["A", "B", "P", "357", "sc1", "demo", "failover", "X", "CW", "RS", "RD", "PK", "KI", "KP", "OTHER"];

    /// <summary>What the existing tests do: send events and read every list, child and report of their councils.</summary>
    public static readonly string[] Roles = [Host.Security.Roles.Feed, Host.Security.Roles.QaLead];

    public static AccountStore Accounts(WebApplication app)
    {
        // the keys' first use migrates the tables on a host started without the runtime
        _ = app.Services.GetRequiredService<SharedKeys>();
        return app.Services.GetRequiredService<AccountStore>();
    }

    /// <summary>A new machine client with these roles and councils; its id and secret.</summary>
    public static async Task<(string Id, string Secret)> AddClientAsync(AccountStore accounts, string[]? roles = null, string[]? councils = null, string[]? teams = null)
    {
        councils ??= Councils;
        await accounts.AddCouncilsAsync(councils, "test");
        var id = "test-" + Guid.NewGuid().ToString("N")[..12];
        var secret = AccountStore.NewSecret();
        (await accounts.AddAsync(AccountKind.Client, id, secret, roles ?? Roles, councils, teams ?? [])).ShouldBeTrue();
        return (id, secret);
    }

    public static async Task<(string Name, string Password)> AddUserAsync(AccountStore accounts, string[]? roles = null, string[]? councils = null, string[]? teams = null)
    {
        councils ??= Councils;
        await accounts.AddCouncilsAsync(councils, "test");
        var name = "user-" + Guid.NewGuid().ToString("N")[..12];
        var password = AccountStore.NewSecret();
        (await accounts.AddAsync(AccountKind.User, name, password, roles ?? Roles, councils, teams ?? [])).ShouldBeTrue();
        return (name, password);
    }

    /// <summary>POST /connect/token with client credentials; the response (status, body).</summary>
    public static async Task<HttpResponseMessage> RequestTokenAsync(Uri server, string id, string secret)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        return await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        }));
    }

    public static async Task<string> TokenAsync(Uri server, string id, string secret)
    {
        using var response = await RequestTokenAsync(server, id, secret);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A token for a new client of the given roles and councils.</summary>
    public static async Task<string> TokenAsync(WebApplication app, Uri server, string[]? roles = null, string[]? councils = null, string[]? teams = null)
    {
        var (id, secret) = await AddClientAsync(Accounts(app), roles, councils, teams);
        return await TokenAsync(server, id, secret);
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
