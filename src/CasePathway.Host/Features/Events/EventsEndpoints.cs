using System.ComponentModel;
using System.Text;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Runtime;
using CasePathway.Host.Web;
using CasePathway.Store;
using CasePathway.Store.Pathways;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CasePathway.Host.Features.Events;

/// <summary>
/// <c>POST /api/events</c>: one event envelope or an array of them, all or nothing. Every event is read
/// by the contract's codec and checked against its child's stored events (and the batch's earlier ones);
/// the whole batch goes to the store in one transaction, so a rejection stores nothing.
/// </summary>
public static class EventsEndpoints
{
    public static void Configure(HttpChain chain)
    {
        chain.EndpointSummary = "Append one event or a batch (array) of events, all or nothing";
        chain.EndpointDescription =
            "Body: one event envelope or an array of them (the contract's format). Repeated ids with the same content are " +
            "accepted and not stored again; the same id with different content is a 409. If-Match: the version the child's " +
            "stream must be at (0 for a new child); only for a batch of one child. A batch with any bad event stores nothing " +
            "and names every problem, each under its field ([index].field for arrays).";
        chain.Metadata
            .WithTags("Events")
            .Accepts<EventEnvelopeDocument[]>("application/json")
            .Produces<AppendResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    [WolverinePost("/api/events", OperationId = "AppendEvents"), AcceptsBatch]
    public static async Task<IResult> AppendAsync(
        HttpContext context,
        [FromHeader(Name = "If-Match"), Description("The child's stream version expected before the append, e.g. 3 or \"3\" (0: a new child). Only for a batch of one child.")] string? ifMatch,
        CancellationToken cancellationToken)
    {
        var runtime = context.RequestServices.GetService<CasePathwayRuntime>();
        if (runtime is null) return ApiEndpoints.Unavailable();
        if (!context.Request.HasJsonContentType())
            return ApiEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Content-Type",
                "must be application/json (one event envelope or an array of them)");

        var problems = new FieldProblems();
        string body;
        try
        {
            using var reader = new StreamReader(context.Request.Body, StrictUtf8);
            body = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            // replacing bad bytes with U+FFFD would store text nobody sent
            return problems.Add("$", "the body is not valid UTF-8").ToResult("The events have problems; nothing was stored");
        }

        var now = runtime.Clock.GetCurrentInstant();
        var events = Parse(body, now, context.RequestServices.GetRequiredService<BatchLimits>(), problems, out var isArray);
        if (events is null) return problems.ToResult("The events have problems; nothing was stored");
        if (await Security.CouncilAccess.CheckEventsAsync(context, events, isArray) is { } refused) return refused;

        var expected = ExpectedVersionOf(ifMatch, events, problems);
        if (expected is null) return problems.ToResult("The events have problems; nothing was stored");

        AppendOutcome outcome;
        try
        {
            outcome = await runtime.Appender.AppendAsync(events, AppendSource.Live, allOrNothing: true, expected, cancellationToken);
        }
        catch (ConcurrencyException e)
        {
            return ApiEndpoints.Problem(StatusCodes.Status409Conflict, "The child's pathway has moved on; nothing was stored", "If-Match",
                $"child {e.Stream} of tenant {e.Tenant} is at version {e.Actual}, not {e.Expected}: read it again and resubmit");
        }
        catch (EventIdConflictException e)
        {
            var index = events.ToList().FindIndex(x => x.Id == e.EventId);
            return ApiEndpoints.Problem(StatusCodes.Status409Conflict, "An event id is already used; nothing was stored", Field(isArray, index, "id"),
                $"event {e.EventId} is already stored with different content; a correction is a new event (or EventRetracted)");
        }
        if (outcome.Refused)
        {
            for (var i = 0; i < outcome.Events.Count; i++)
                foreach (var error in outcome.Events[i].Problems) problems.Add(Field(isArray, i, error.Field), error.Message);
            return problems.ToResult("The events have problems; nothing was stored");
        }

        var response = new AppendResponse(
            outcome.Appended,
            outcome.AlreadyPresent,
            outcome.Streams.Select(s => new AppendedStream(s.Tenant, s.Child, s.Version, s.Appended, s.AlreadyPresent)).ToList(),
            outcome.Events.Select(o => new AppendedEvent(o.Event.Id, o.Event.Tenant, o.Event.Child, o.Event.Type,
                o.Fate == EventFate.AlreadyPresent ? AppendedEvent.AlreadyPresent : AppendedEvent.Appended)).ToList());
        var streams = events.Select(e => (e.Tenant, Child: e.StreamOf())).Distinct().ToList();
        var first = streams[0];
        var location = streams.Count == 1 ? $"/api/children/{Uri.EscapeDataString(first.Tenant)}/{Uri.EscapeDataString(first.Child)}" : null;
        return Results.Created(location, response);
    }

    /// <summary>The events, or null with every problem: malformed JSON (with its position), too many events, bad envelopes.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static IReadOnlyList<PathwayEvent>? Parse(string body, NodaTime.Instant now, BatchLimits limits, FieldProblems problems, out bool isArray)
    {
        isArray = false;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // the codec words the position as editors count it
            foreach (var error in EventJson.ParseBatch(body).Errors) problems.Add(error.Field, error.Message);
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            isArray = root.ValueKind == JsonValueKind.Array;
            if (isArray && !limits.CheckCount(root.GetArrayLength(), problems)) return null;
            // the door's limits, and "not in the future" against this server's clock
            var parsed = EventJson.ParseBatch(root, now);
            foreach (var error in parsed.Errors) problems.Add(error.Field, error.Message);
            return parsed.Value;
        }
    }

    /// <summary>If-Match as an expected version: a whole number, optionally quoted as an entity tag.</summary>
    private static ExpectedVersion? ExpectedVersionOf(string? ifMatch, IReadOnlyList<PathwayEvent> events, FieldProblems problems)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return ExpectedVersion.Any;
        var text = ifMatch.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            problems.Add("If-Match", $"'{ifMatch}' is not a stream version: give the child's version as a whole number, e.g. 3 (0 for a new child)");
            return null;
        }
        if (events.Select(e => (e.Tenant, e.Child)).Distinct().Count() > 1)
        {
            problems.Add("If-Match", "applies to one child's stream, but the batch holds events of several children: send one batch per child");
            return null;
        }
        return ExpectedVersion.Exactly(version);
    }

    private static string Field(bool isArray, int index, string field) =>
        isArray && index >= 0 ? $"[{index}].{field}" : field;
}

/// <summary>What an append stored: totals, each child's stream version after it, and each event's fate.</summary>
public sealed record AppendResponse(int Appended, int AlreadyPresent, IReadOnlyList<AppendedStream> Streams, IReadOnlyList<AppendedEvent> Events);

/// <summary>A child's stream after the append: <see cref="Version"/> is what If-Match expects next time.</summary>
public sealed record AppendedStream(string Tenant, string Child, long Version, int Appended, int AlreadyPresent);

/// <summary>One submitted event: <c>appended</c>, or <c>already-present</c> (its id was stored before with the same content).</summary>
public sealed record AppendedEvent(Guid Id, string Tenant, string Child, string Type, string Status)
{
    public const string Appended = "appended";
    public const string AlreadyPresent = "already-present";
}

/// <summary>The event envelope (docs/contract.md), for the OpenAPI document; the codec reads the body itself.</summary>
public sealed record EventEnvelopeDocument(
    [property: Description("UUID; the idempotency key")] Guid Id,
    [property: Description("The local authority, e.g. its DfE LA code")] string Tenant,
    [property: Description("The child's id within the tenant")] string Child,
    [property: Description("An event type of the contract, e.g. ContactReceived")] string Type,
    [property: Description("An instant with offset (2022-10-03T09:15:00+01:00) or a date (2022-10-03)")] string OccurredAt,
    [property: Description("When the source system recorded it (instant with offset); the store's receipt time when absent")] string? RecordedAt,
    string? RecordedBy,
    string? SourceSystem,
    string? SourceKey,
    string? CorrelationId,
    [property: Description("The type's fields (docs/contract.md)")] JsonElement Data);
