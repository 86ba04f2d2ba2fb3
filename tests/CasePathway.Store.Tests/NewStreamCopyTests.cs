using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store.Marten;
using CasePathway.Testing;
using JasperFx.Events;
using NodaTime;
using Npgsql;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

/// <summary>
/// An import's new streams are written by COPY, the API's appends as rows of one batch; neither through Marten's
/// own append. Both must leave the rows Marten's append leaves, column by column, or Marten's reads, the daemon
/// and the as-known-at replays would tell them apart.
/// </summary>
public class NewStreamCopyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] Sources = ["demo", "annex-a", "ssd"];

    // Every envelope field in use: instants and dates, given and inferred recordedAt, the optional text fields.
    private static NewEvent[] Pathway(int child) =>
    [
        new(Guid.NewGuid(), new ContactReceived($"K{child}", ContactRoute.Mash), Occurrence.At(Monday + Duration.FromMinutes(child)),
            Monday + Duration.FromMinutes(child + 5), false, "mash.duty1", Sources[child % 3], $"contact/{child}", $"corr-{child}"),
        new(Guid.NewGuid(), new ContactScreened($"K{child}", ScreeningOutcome.Referral), Occurrence.At(Monday + Duration.FromHours(3)),
            Monday + Duration.FromHours(3), true, null, Sources[child % 3]),
        // Text that JSON escapes (a quote, a backslash, markup, non-ASCII): the COPY writes the headers' JSON itself.
        new(Guid.NewGuid(), new ContactScreened($"K{child}", ScreeningOutcome.EarlyHelp), Occurrence.At(Monday + Duration.FromHours(4)),
            Monday + Duration.FromHours(5), false, $"O'Brien \"duty\" \\ <a+b> Zoë Ω {child}", Sources[child % 3], $"contact/{child}/é", "corr-é"),
        new(Guid.NewGuid(), new CaseAllocated("Assessment North", $"SW{child}"), Occurrence.On(new LocalDate(2022, 10, 4)),
            Instant.FromUtc(2022, 10, 3, 23, 0), true, "import", "annex-a", null, null),
    ];

    [Fact]
    public async Task Streams_written_by_copy_and_by_rows_have_the_rows_marten_writes()
    {
        var viaCopy = "copy-" + Guid.NewGuid().ToString("N")[..8];
        var viaRows = "rows-" + Guid.NewGuid().ToString("N")[..8];
        var viaMarten = "marten-" + Guid.NewGuid().ToString("N")[..8];
        const int children = 30;
        var pathways = Enumerable.Range(0, children).Select(Pathway).ToArray();

        // 120 events for new streams in one append: over the threshold, so COPY.
        (children * 4).ShouldBeGreaterThanOrEqualTo(MartenEventStore.CopyFromEvents);
        await db.EventStore.BulkAppendAsync(pathways.Select((p, i) => new StreamAppend(viaCopy, $"C{i}", ExpectedVersion.NoStream, p)).ToArray());
        // One child at a time, a new stream then a stream that moves on: under it, so the rows of one batch.
        for (var i = 0; i < children; i++)
        {
            await db.EventStore.BulkAppendAsync([new StreamAppend(viaRows, $"C{i}", ExpectedVersion.NoStream, pathways[i][..1])]);
            await db.EventStore.BulkAppendAsync([new StreamAppend(viaRows, $"C{i}", ExpectedVersion.Exactly(1), pathways[i][1..])]);
        }
        // Marten's own append, in the same two steps: what both must match.
        var storedAt = SystemClock.Instance.GetCurrentInstant();
        for (var i = 0; i < children; i++)
        {
            await using var session = db.DocumentStore.LightweightSession(viaMarten);
            IEvent[] Built(IEnumerable<NewEvent> events) => events.Select(e => EnvelopeHeaders.ToMartenEvent(e, e.Data, session.Events.BuildEvent, storedAt)).ToArray();
            session.Events.StartStream($"C{i}", Built(pathways[i][..1]));
            await session.SaveChangesAsync();
            session.Events.Append($"C{i}", 4, Built(pathways[i][1..]));
            await session.SaveChangesAsync();
        }

        var copied = await RowsAsync(viaCopy);
        var rows = await RowsAsync(viaRows);
        var appended = await RowsAsync(viaMarten);
        appended.Count.ShouldBe(children * 4 + children);
        copied.ShouldBe(appended);
        rows.ShouldBe(appended);

        // And the store reads them back as the same events.
        for (var i = 0; i < children; i += 7)
        {
            var a = await db.EventStore.ReadStreamAsync(viaCopy, $"C{i}");
            var b = await db.EventStore.ReadStreamAsync(viaMarten, $"C{i}");
            var c = await db.EventStore.ReadStreamAsync(viaRows, $"C{i}");
            a.Select(e => e with { Sequence = 0, Tenant = "", StoredAt = default }).ShouldBe(b.Select(e => e with { Sequence = 0, Tenant = "", StoredAt = default }));
            c.Select(e => e with { Sequence = 0, Tenant = "", StoredAt = default }).ShouldBe(b.Select(e => e with { Sequence = 0, Tenant = "", StoredAt = default }));
            c.Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        }
    }

    [Fact]
    public async Task A_copy_that_meets_a_stream_started_meanwhile_is_decided_again()
    {
        var tenant = "race-" + Guid.NewGuid().ToString("N")[..8];
        var appends = Enumerable.Range(0, 30).Select(i => new StreamAppend(tenant, $"C{i}", ExpectedVersion.Any, Pathway(i))).ToArray();
        // Two importers with the same file at once: each event is stored once, whoever's COPY meets the other's streams.
        var both = await Task.WhenAll(db.EventStore.BulkAppendAsync(appends), db.EventStore.BulkAppendAsync(appends));

        var events = appends.Sum(a => a.Events.Count);
        (both[0].Appended + both[1].Appended).ShouldBe(events);
        (both[0].AlreadyPresent + both[1].AlreadyPresent).ShouldBe(events);
        (await RowsAsync(tenant)).Count.ShouldBe(events + appends.Length);
    }

    /// <summary>Every column of the council's stream and event rows, but the sequence, the council and the store's own receipt time.</summary>
    private async Task<List<string>> RowsAsync(string tenant)
    {
        await using var cmd = db.DataSource.CreateCommand(
            $"""
            select 'stream ' || s.id || ' ' || s.version || ' ' || coalesce(s.type, '-') || ' ' || s.is_archived || ' ' || s.compacted_version
            from {EventStoreOptions.SchemaName}.mt_streams s where s.tenant_id = $1
            union all
            select 'event ' || e.stream_id || ' ' || e.version || ' ' || e.id || ' ' || e.type || ' ' || e.data::text || ' ' || coalesce(e.bdata::text, '-')
                   || ' ' || e.timestamp || ' ' || coalesce(e.mt_dotnet_type, '-') || ' ' || coalesce(e.correlation_id, '-') || ' ' || e.is_archived
                   || ' ' || coalesce((e.headers - '{EnvelopeHeaders.StoredAt}')::text, '-')
            from {EventStoreOptions.SchemaName}.mt_events e where e.tenant_id = $1
            order by 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
