using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CasePathway.Host.Tests.Api;
using Npgsql;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// Eight clients writing at once over HTTP to the same children: new events, repeats of ids another client
/// already sent, and contact/screening pairs that race (a screening dated before its contact must never be
/// stored beside it). Nothing lost, nothing doubled, no rule slipped past, never a 5xx.
/// (The store-level races are in PathwayAppenderTests and AppendTests.)
/// </summary>
public sealed class ConcurrentWritersTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    [Fact]
    public async Task Eight_concurrent_writers_lose_nothing_double_nothing_and_slip_past_no_rule()
    {
        const string tenant = "CW";
        var sent = new ConcurrentDictionary<Guid, string>(); // id → body, as first sent
        var accepted = new ConcurrentDictionary<Guid, bool>();
        var statuses = new ConcurrentBag<(HttpStatusCode Code, string Body)>();
        using var http = server.CreateClient();

        async Task<HttpStatusCode> Post(Guid id, string body)
        {
            using var response = await http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            statuses.Add((response.StatusCode, text));
            if (response.StatusCode == HttpStatusCode.Created) accepted[id] = true;
            return response.StatusCode;
        }

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < 12; i++)
            {
                // A new contact on a child every writer shares.
                var id = Guid.NewGuid();
                var body = Contact(id, tenant, $"S{random.Next(6)}", "2024-03-12T09:00:00Z", $"K{w}-{i}");
                sent[id] = body;
                await Post(id, body);
                // A repeat of an id some writer sent: accepted, never stored twice.
                var again = sent.Keys.ElementAt(random.Next(sent.Count));
                await Post(again, sent[again]);
                // A race: the contact and a screening an hour before it, side by side, on a fresh child.
                var child = $"P{w}-{i}";
                var (contact, screening) = (Guid.NewGuid(), Guid.NewGuid());
                var pair = await Task.WhenAll(
                    Post(contact, Contact(contact, tenant, child, "2024-03-12T10:00:00Z", "KP")),
                    Post(screening, Screening(screening, tenant, child, "2024-03-12T09:00:00Z", "KP")));
                pair.Count(c => c == HttpStatusCode.Created).ShouldBe(1, $"child {child}: exactly one of the racing pair is stored ({string.Join(",", pair)})");
            }
        })).ToList();
        await Task.WhenAll(writers);

        statuses.ShouldNotContain(s => (int)s.Code >= 500, string.Join(" | ", statuses.Where(s => (int)s.Code >= 500).Take(3).Select(s => s.Body)));
        statuses.Where(s => s.Code is not (HttpStatusCode.Created or HttpStatusCode.BadRequest)).ShouldBeEmpty(
            string.Join(" | ", statuses.Where(s => s.Code is not (HttpStatusCode.Created or HttpStatusCode.BadRequest)).Take(3).Select(s => $"{s.Code} {s.Body}")));

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync());
        }
        (await Scalar($"select count(*) from casepathway.mt_events where tenant_id = '{tenant}'")).ShouldBe((long)accepted.Count, "every accepted id stored");
        (await Scalar($"select count(*) - count(distinct id) from casepathway.mt_events where tenant_id = '{tenant}'")).ShouldBe(0L, "none twice");
        (await Scalar($"select count(*) from casepathway.mt_streams where tenant_id = '{tenant}' and version <> (select count(*) from casepathway.mt_events e where e.tenant_id = '{tenant}' and e.stream_id = mt_streams.id)"))
            .ShouldBe(0L, "every stream's version is its number of events: no gap, no double");
    }

    private static string Contact(Guid id, string tenant, string child, string at, string contactId) => JsonSerializer.Serialize(new
    {
        id, tenant, child, type = "ContactReceived", occurredAt = at, recordedBy = "worker-a", data = new { contactId, route = "mash" },
    });

    private static string Screening(Guid id, string tenant, string child, string at, string contactId) => JsonSerializer.Serialize(new
    {
        id, tenant, child, type = "ContactScreened", occurredAt = at, recordedBy = "worker-a", data = new { contactId, outcome = "referral" },
    });
}
