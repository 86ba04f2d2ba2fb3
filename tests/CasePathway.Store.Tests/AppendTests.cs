using CasePathway.Domain.Events;
using CasePathway.Store.Marten;
using CasePathway.Domain.Time;
using CasePathway.Testing;
using NodaTime;
using Npgsql;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

public class AppendTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Tenant = "357";
    private MartenEventStore Store => db.EventStore;

    [Fact]
    public async Task Events_get_versions_one_to_n_and_increasing_sequence_numbers()
    {
        var child = NewChild();
        var result = await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, Contacts(5));

        result.ShouldBe(new AppendResult(5, 5, 0));
        var stored = await Store.ReadStreamAsync(Tenant, child);
        stored.Select(e => e.Version).ShouldBe([1L, 2, 3, 4, 5]);
        stored.Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        stored.Select(e => e.Sequence).Distinct().Count().ShouldBe(5);
        stored.Select(e => e.Data).ShouldBe(Enumerable.Range(1, 5).Select(i => (IPathwayEventData)new ContactReceived("K" + i, ContactRoute.Mash)));
        (await Store.StreamVersionAsync(Tenant, child)).ShouldBe(5);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_expected_version_exactly_one_wins()
    {
        var child = NewChild();
        var attempts = Enumerable.Range(0, 8)
            .Select(i => Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [Contact("K" + i)]))
            .ToArray();
        var outcomes = await Task.WhenAll(attempts.Select(async t =>
        {
            try { await t; return "won"; }
            catch (ConcurrencyException) { return "lost"; }
        }));

        outcomes.Count(o => o == "won").ShouldBe(1);
        outcomes.Count(o => o == "lost").ShouldBe(7);
        (await Store.ReadStreamAsync(Tenant, child)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Losers_of_a_version_race_take_no_sequence_numbers()
    {
        var child = NewChild();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [Contact()]);
        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, child, ExpectedVersion.Exactly(7), Contacts(3)));
        await Store.AppendAsync(Tenant, child, ExpectedVersion.Exactly(1), [Contact()]);

        var seqs = (await Store.ReadStreamAsync(Tenant, child)).Select(e => e.Sequence).ToArray();
        (seqs[1] - seqs[0]).ShouldBe(1, "no numbers were taken by the refused append in between (this class's appends are sequential here)");
    }

    [Fact]
    public async Task NoStream_on_an_existing_stream_is_refused()
    {
        var child = NewChild();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, Contacts(2));

        var error = await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [Contact("K9")]));
        error.Actual.ShouldBe(2);
        (await Store.ReadStreamAsync(Tenant, child)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Exact_version_on_a_missing_stream_is_refused_and_leaves_no_stream()
    {
        var child = NewChild();
        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, child, ExpectedVersion.Exactly(3), [Contact()]));
        (await Store.StreamVersionAsync(Tenant, child)).ShouldBe(0);
        await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM casepathway.mt_streams WHERE id = $1");
        count.Parameters.AddWithValue(child);
        (await count.ExecuteScalarAsync()).ShouldBe(0L);
    }

    [Fact]
    public async Task A_retried_batch_stores_nothing_new_and_says_already_present_even_after_the_stream_moved_on()
    {
        var child = NewChild();
        var batch = Contacts(3);
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, batch);
        await Store.AppendAsync(Tenant, child, ExpectedVersion.Exactly(3), [Contact("later")]);

        var retry = await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, batch);

        retry.ShouldBe(new AppendResult(4, 0, 3));
        (await Store.ReadStreamAsync(Tenant, child)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_retry_without_recordedAt_is_the_same_event_although_the_store_stamped_a_receipt_time()
    {
        var child = NewChild();
        var e = Contact();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.Any, [e]);
        await Task.Delay(20);
        (await Store.AppendAsync(Tenant, child, ExpectedVersion.Any, [e])).ShouldBe(new AppendResult(1, 0, 1));
    }

    [Fact]
    public async Task Same_id_with_different_content_is_a_conflict_and_nothing_of_the_batch_is_written()
    {
        var child = NewChild();
        var original = Contact("K1");
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [original]);

        var fresh = Contact("K2");
        var changed = original with { Data = new ContactReceived("K1", ContactRoute.Ehap) };
        var error = await Should.ThrowAsync<EventIdConflictException>(
            () => Store.AppendAsync(Tenant, child, ExpectedVersion.Any, [fresh, changed]));

        error.EventId.ShouldBe(original.Id);
        var stored = await Store.ReadStreamAsync(Tenant, child);
        stored.Select(e => e.Id).ShouldBe([original.Id]);
        stored[0].Data.ShouldBe(new ContactReceived("K1", ContactRoute.Mash));
    }

    [Theory]
    [InlineData("recordedBy")]
    [InlineData("sourceKey")]
    [InlineData("occurred")]
    [InlineData("recordedAt")]
    [InlineData("stream")]
    public async Task Any_submitted_field_that_differs_makes_a_conflict(string field)
    {
        var child = NewChild();
        var original = Contact() with { RecordedBy = "jsmith", SourceKey = "R1", RecordedAt = Monday };
        await Store.AppendAsync(Tenant, child, ExpectedVersion.Any, [original]);

        var (targetChild, changed) = field switch
        {
            "recordedBy" => (child, original with { RecordedBy = "other" }),
            "sourceKey" => (child, original with { SourceKey = "R2" }),
            "occurred" => (child, original with { OccurredAt = Occurrence.On(new LocalDate(2022, 10, 3)) }),
            "recordedAt" => (child, original with { RecordedAt = null }),
            _ => (NewChild(), original),
        };
        await Should.ThrowAsync<EventIdConflictException>(() => Store.AppendAsync(Tenant, targetChild, ExpectedVersion.Any, [changed]));
    }

    [Fact]
    public async Task The_same_id_twice_in_one_batch_is_stored_once()
    {
        var child = NewChild();
        var e = Contact();
        (await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [e, e])).ShouldBe(new AppendResult(1, 1, 1));
        await Should.ThrowAsync<EventIdConflictException>(() => Store.AppendAsync(NewChild(), child, ExpectedVersion.Any, [Contact("X", e.Id), Contact("Y", e.Id)]));
    }

    [Fact]
    public async Task Racing_writers_of_one_new_id_store_it_once_and_the_rest_are_already_present_or_conflicts()
    {
        var streamA = NewChild();
        var streamB = NewChild();
        var e = Contact();
        // The receipts' primary key (council, id) is the database's guard: a loser decides again and then
        // finds the event stored — the same on its stream, a conflict on another child's.
        var attempts = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                var r = await Store.AppendAsync(Tenant, i % 2 == 0 ? streamA : streamB, ExpectedVersion.Any, [e]);
                return r.Appended == 1 ? "appended" : "already-present";
            }
            catch (EventIdConflictException) { return "conflict"; }
        })).ToArray();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o == "appended").ShouldBe(1);
        var a = await Store.ReadStreamAsync(Tenant, streamA);
        var b = await Store.ReadStreamAsync(Tenant, streamB);
        (a.Count + b.Count).ShouldBe(1);
        outcomes.Count(o => o == "conflict").ShouldBe(6, "every writer to the other child's stream is refused");
    }

    [Fact]
    public async Task Reading_to_a_version_stops_there()
    {
        var child = NewChild();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, Contacts(5));
        (await Store.ReadStreamAsync(Tenant, child, new StreamReadOptions(ToVersion: 3))).Select(e => e.Version).ShouldBe([1L, 2, 3]);
    }

    [Fact]
    public async Task Reading_as_known_at_an_instant_keeps_only_events_recorded_by_then()
    {
        var child = NewChild();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream,
        [
            Contact("early", recordedAt: Monday),
            Contact("late", recordedAt: Monday + Duration.FromDays(2)),
            Contact("exactly", recordedAt: Monday + Duration.FromDays(1)),
        ]);

        var asAt = await Store.ReadStreamAsync(Tenant, child, new StreamReadOptions(RecordedBy: Monday + Duration.FromDays(1)));
        asAt.Select(e => e.DataJson).ShouldBe([
            """{"contactId":"early","route":"mash"}""",
            """{"contactId":"exactly","route":"mash"}""",
        ]);
    }

    [Fact]
    public async Task A_missing_recordedAt_becomes_the_receipt_time_and_inferred_is_kept()
    {
        var child = NewChild();
        var imported = Contact("imp") with { RecordedAt = Monday, RecordedAtInferred = true };
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, [Contact("live"), imported]);

        var stored = await Store.ReadStreamAsync(Tenant, child);
        stored[0].RecordedAt.ShouldBe(stored[0].StoredAt);
        stored[0].RecordedAtInferred.ShouldBeFalse();
        (SystemClock.Instance.GetCurrentInstant() - stored[0].StoredAt).ShouldBeLessThan(Duration.FromMinutes(1));
        stored[1].RecordedAt.ShouldBe(Monday);
        stored[1].RecordedAtInferred.ShouldBeTrue();
    }

    [Fact]
    public async Task Date_only_and_instant_occurrences_round_trip_exactly()
    {
        var child = NewChild();
        var bstDate = Occurrence.On(new LocalDate(2022, 6, 2));
        var bstInstant = Occurrence.At(Instant.FromUtc(2022, 6, 1, 23, 30, 0)); // 00:30 on 2 June in London
        var gmtInstant = Occurrence.At(Instant.FromUtc(2022, 12, 1, 23, 30, 0).PlusNanoseconds(123_456_000));
        var submitted = new[] { bstDate, bstInstant, gmtInstant }
            .Select(o => Contact() with { OccurredAt = o, RecordedBy = "jsmith", SourceSystem = "lcs", SourceKey = "R9", CorrelationId = "corr" })
            .ToArray();
        await Store.AppendAsync(Tenant, child, ExpectedVersion.NoStream, submitted);

        var stored = await Store.ReadStreamAsync(Tenant, child);
        stored.Select(e => e.OccurredAt).ShouldBe([bstDate, bstInstant, gmtInstant]);
        stored[0].OccurredAt.IsDateOnly.ShouldBeTrue();
        stored[0].OccurredAt.Date.ShouldBe(new LocalDate(2022, 6, 2));
        stored[1].OccurredAt.Date.ShouldBe(new LocalDate(2022, 6, 2));
        stored[2].OccurredAt.Date.ShouldBe(new LocalDate(2022, 12, 1));
        stored.ShouldAllBe(e => e.RecordedBy == "jsmith" && e.SourceSystem == "lcs" && e.SourceKey == "R9" && e.CorrelationId == "corr");

        // As stored: a date-only occurrence stays a date, never a UTC midnight that BST would move a day.
        await using var dates = db.DataSource.CreateCommand("SELECT coalesce(headers ->> 'occurredAt', 'on ' || (headers ->> 'occurredOn')) FROM casepathway.mt_events WHERE stream_id = $1 ORDER BY version");
        dates.Parameters.AddWithValue(child);
        await using var reader = await dates.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.ShouldBe(["on 2022-06-02", "2022-06-01T23:30:00Z", "2022-12-01T23:30:00.123456Z"]);
    }

    [Fact]
    public async Task Tenants_have_separate_streams_of_the_same_name()
    {
        var child = NewChild();
        await Store.AppendAsync("357", child, ExpectedVersion.NoStream, [Contact()]);
        await Store.AppendAsync("358", child, ExpectedVersion.NoStream, [Contact()]);
        (await Store.ReadStreamAsync("357", child)).ShouldHaveSingleItem().Tenant.ShouldBe("357");
    }

}
