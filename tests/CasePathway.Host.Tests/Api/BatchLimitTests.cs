using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Api;

/// <summary>
/// <c>POST /api/events</c> takes batches up to <c>CasePathway:Batch:MaxBytes</c> (16 MiB by default), not the
/// 1 MiB every other request is held to: the limit has to reach the endpoint wherever it is mapped.
/// </summary>
public sealed class BatchLimitTests(RuntimeServer server) : IClassFixture<RuntimeServer>
{
    private readonly HttpClient http = server.CreateClient();

    [Fact]
    public async Task A_batch_larger_than_the_general_request_limit_is_read_and_judged_on_its_events()
    {
        var events = new JsonArray(Enumerable.Range(0, RuntimeServer.MaxEvents + 1)
            .Select(i => (JsonNode)Contact("L" + Guid.NewGuid().ToString("N")[..10])).ToArray());
        // JSON whitespace: harmless to the reader, enough to pass Kestrel's default 1 MiB
        var body = events.ToJsonString() + new string(' ', 1536 * 1024);

        var response = await http.PostAsync("/api/events", Body(body));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("events", out _).ShouldBeTrue(text);
    }
}
