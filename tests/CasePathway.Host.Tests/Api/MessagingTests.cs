using CasePathway.Host.Web;
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
}
