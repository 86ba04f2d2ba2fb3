using CasePathway.Domain.Events;
using CasePathway.Store.Marten;
using CasePathway.Testing;
using NodaTime;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

public class BulkAppendTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private MartenEventStore Store => db.EventStore;

    private static StreamAppend[] ManyStreams(string tenant, int streams, int eventsEach) =>
        Enumerable.Range(0, streams)
            .Select(s => new StreamAppend(tenant, $"C{s}", ExpectedVersion.NoStream, Contacts(eventsEach)))
            .ToArray();

    [Fact]
    public async Task Many_streams_go_in_one_transaction_with_versions_and_increasing_sequence_numbers()
    {
        var tenant = NewChild();
        var appends = ManyStreams(tenant, 200, 5);

        var result = await Store.BulkAppendAsync(appends);

        result.Appended.ShouldBe(1000);
        result.AlreadyPresent.ShouldBe(0);
        result.Streams.ShouldAllBe(r => r.Version == 5 && r.Appended == 5);
        var stream = await Store.ReadStreamAsync(tenant, "C17");
        stream.Select(e => e.Id).ShouldBe(appends[17].Events.Select(e => e.Id));
        stream.Select(e => e.Version).ShouldBe([1L, 2, 3, 4, 5]);
        stream.Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        stream.ShouldAllBe(e => e.RecordedAt == e.StoredAt && !e.RecordedAtInferred);
        (await Store.StreamVersionAsync(tenant, "C199")).ShouldBe(5);
    }

    [Fact]
    public async Task Running_the_same_bulk_again_appends_nothing()
    {
        var tenant = NewChild();
        var appends = ManyStreams(tenant, 50, 3);
        await Store.BulkAppendAsync(appends);

        var again = await Store.BulkAppendAsync(appends);

        again.Appended.ShouldBe(0);
        again.AlreadyPresent.ShouldBe(150);
        again.Streams.ShouldAllBe(r => r.Version == 3 && r.AlreadyPresent == 3);
        (await Store.ReadStreamAsync(tenant, "C0")).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_partly_stored_bulk_appends_only_what_is_new()
    {
        var tenant = NewChild();
        var appends = ManyStreams(tenant, 10, 2);
        await Store.BulkAppendAsync(appends[..5]);

        var result = await Store.BulkAppendAsync(appends.Select((a, i) => i < 5 ? a : a).ToArray());

        result.Appended.ShouldBe(10);
        result.AlreadyPresent.ShouldBe(10);
    }

    [Fact]
    public async Task A_conflict_anywhere_in_the_bulk_rolls_back_everything()
    {
        var tenant = NewChild();
        var existing = Contact("K1");
        await Store.AppendAsync(tenant, "C-existing", ExpectedVersion.NoStream, [existing]);

        var appends = ManyStreams(tenant, 20, 3).Append(
            new StreamAppend(tenant, "C-existing", ExpectedVersion.Any, [existing with { Data = new ContactReceived("K1", ContactRoute.Ehap) }]))
            .ToArray();
        var error = await Should.ThrowAsync<EventIdConflictException>(() => Store.BulkAppendAsync(appends));

        error.EventId.ShouldBe(existing.Id);
        (await Store.ReadStreamAsync(tenant, "C0")).ShouldBeEmpty();
        (await Store.StreamVersionAsync(tenant, "C0")).ShouldBe(0);
    }

    [Fact]
    public async Task A_wrong_expected_version_anywhere_in_the_bulk_rolls_back_everything()
    {
        var tenant = NewChild();
        await Store.AppendAsync(tenant, "C5", ExpectedVersion.NoStream, [Contact()]);
        var before = await LastSequenceAsync();

        var error = await Should.ThrowAsync<ConcurrencyException>(() => Store.BulkAppendAsync(ManyStreams(tenant, 10, 2)));

        error.Stream.ShouldBe("C5");
        (await Store.ReadStreamAsync(tenant, "C0")).ShouldBeEmpty();
        (await Store.ReadStreamAsync(tenant, "C5")).Count.ShouldBe(1);
        await Store.AppendAsync(tenant, "C6", ExpectedVersion.NoStream, [Contact()]);
        (await LastSequenceAsync()).ShouldBe(before + 1, "the refused bulk took no sequence numbers");
    }

    private async Task<long> LastSequenceAsync()
    {
        await using var cmd = db.DataSource.CreateCommand("select coalesce(max(seq_id), 0) from casepathway.mt_events");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Appends_to_the_same_stream_in_one_bulk_apply_in_order()
    {
        var tenant = NewChild();
        var first = Contacts(2);
        var second = Contacts(3);
        var result = await Store.BulkAppendAsync(
        [
            new StreamAppend(tenant, "C1", ExpectedVersion.NoStream, first),
            new StreamAppend(tenant, "C1", ExpectedVersion.Exactly(2), second),
        ]);

        result.Streams.Select(r => r.Version).ShouldBe([2L, 5]);
        (await Store.ReadStreamAsync(tenant, "C1")).Select(e => e.Id).ShouldBe(first.Concat(second).Select(e => e.Id));
    }

    [Fact]
    public async Task Bulk_keeps_every_field_of_the_events()
    {
        var tenant = NewChild();
        var e = Contact() with
        {
            OccurredAt = CasePathway.Domain.Time.Occurrence.On(new LocalDate(2022, 6, 2)),
            RecordedAt = Monday, RecordedAtInferred = true, RecordedBy = "jsmith", SourceSystem = "lcs", SourceKey = "R1", CorrelationId = "c1",
        };
        await Store.BulkAppendAsync([new StreamAppend(tenant, "C1", ExpectedVersion.NoStream, [e])]);

        var stored = (await Store.ReadStreamAsync(tenant, "C1")).ShouldHaveSingleItem();
        stored.OccurredAt.ShouldBe(e.OccurredAt);
        stored.RecordedAt.ShouldBe(Monday);
        stored.RecordedAtInferred.ShouldBeTrue();
        (stored.RecordedBy, stored.SourceSystem, stored.SourceKey, stored.CorrelationId).ShouldBe(("jsmith", "lcs", "R1", "c1"));
        // The same event through the single append is recognised as already present: one hash for both paths.
        (await Store.AppendAsync(tenant, "C1", ExpectedVersion.Any, [e])).AlreadyPresent.ShouldBe(1);
    }

    [Fact]
    public async Task An_append_without_events_reports_the_stream_version_and_creates_nothing()
    {
        var tenant = NewChild();
        await Store.AppendAsync(tenant, "C1", ExpectedVersion.NoStream, Contacts(2));

        var result = await Store.BulkAppendAsync([new StreamAppend(tenant, "C1", ExpectedVersion.Any, []), new StreamAppend(tenant, "C2", ExpectedVersion.Any, [])]);

        result.Streams.Select(r => r.Version).ShouldBe([2L, 0]);
        (await Store.StreamVersionAsync(tenant, "C2")).ShouldBe(0);
        await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM casepathway.mt_streams WHERE tenant_id = $1");
        count.Parameters.AddWithValue(tenant);
        (await count.ExecuteScalarAsync()).ShouldBe(1L);
    }
}
