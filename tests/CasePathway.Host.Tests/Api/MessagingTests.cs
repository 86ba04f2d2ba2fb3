using CasePathway.Host.Runtime;
using CasePathway.Host.Web;
using CasePathway.Store.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// The server as <c>serve</c> runs it keeps Wolverine's durable messages (inbox, outbox, scheduled work) in
/// PostgreSQL, in a schema of their own beside CasePathway's tables.
/// </summary>
public sealed class MessagingTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    [Fact]
    public async Task Wolverine_stores_its_messages_in_the_wolverine_schema_and_nowhere_else()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select table_schema, table_name from information_schema.tables where table_name like 'wolverine%' order by 1, 2", connection);
        var tables = new List<(string Schema, string Table)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add((reader.GetString(0), reader.GetString(1)));

        tables.Select(t => t.Table).ShouldContain("wolverine_incoming_envelopes");
        tables.Select(t => t.Table).ShouldContain("wolverine_outgoing_envelopes");
        tables.Select(t => t.Schema).Distinct().ShouldBe([Messaging.Schema]);
    }

    [Fact]
    public async Task Wolverine_checks_its_schema_in_full_only_when_its_fingerprint_changed_or_a_table_is_gone()
    {
        server.App.Services.GetRequiredService<MessageStorageSchema>().Applied.ShouldBe(true, "the fixture's database was fresh");
        (await Recorded()).ShouldNotBeNull();

        (await StartAnotherServerAsync()).ShouldBe(false, "nothing changed since the fixture's server applied it");

        await Execute("update schema_fingerprints set fingerprint = 'recorded by another version' where store = 'wolverine'");
        (await StartAnotherServerAsync()).ShouldBe(true, "the recorded fingerprint is not this configuration's");
        (await StartAnotherServerAsync()).ShouldBe(false);

        await Execute("drop table wolverine.wolverine_agent_restrictions");
        (await StartAnotherServerAsync()).ShouldBe(true, "a table the configuration names is missing");
        (await Execute("select count(*) from wolverine.wolverine_agent_restrictions")).ShouldBe(0L);
        (await StartAnotherServerAsync()).ShouldBe(false);
    }

    /// <summary>Starts a second server over the fixture's runtime and database; whether its start applied Wolverine's schema.</summary>
    private async Task<bool?> StartAnotherServerAsync()
    {
        await using var app = WebApp.Build(
            new WebAppSettings { Urls = "http://127.0.0.1:0", Configuration = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" } },
            services => services.AddCasePathwayRuntime(server.Runtime, runProjections: false));
        await app.StartAsync();
        var applied = app.Services.GetRequiredService<MessageStorageSchema>().Applied;
        await app.StopAsync();
        return applied;
    }

    private async Task<string?> Recorded() => (string?)await Execute("select fingerprint from schema_fingerprints where store = 'wolverine'");

    private async Task<object?> Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
