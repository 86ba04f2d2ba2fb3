using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using CasePathway.Testing;
using NodaTime;
using NodaTime.Testing;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

/// <summary>
/// The one way in's append: the decision's reads in one round trip, the write (streams, events, receipts) as one
/// batch in one implicit transaction. A writer that gets in between the two must fail the whole write — nothing
/// half-stored — and the decision is made again on what it stored.
/// </summary>
public class DecideAndAppendTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly Instant Now = Instant.FromUtc(2022, 10, 10, 12, 0);

    private MartenEventStore Store => db.EventStore;

    private PathwayAppender Appender => new(Store, t => CasePathway.Domain.Tenants.TenantContext.Of(new CasePathway.Domain.Tenants.TenantSettings(t)), new FakeClock(Now));

    private static string NewTenant() => "d-" + Guid.NewGuid().ToString("N")[..8];

    private static PathwayEvent LiveContact(string tenant, string child, Guid? id = null, string contactId = "K1", Instant? at = null) =>
        new(id ?? Guid.NewGuid(), tenant, child, Occurrence.At(at ?? Monday), new ContactReceived(contactId, ContactRoute.Mash), RecordedAt: at ?? Monday);

    [Fact]
    public async Task A_writer_in_between_fails_the_whole_write_and_the_decision_is_made_again()
    {
        var tenant = NewTenant();
        await Store.AppendAsync(tenant, "A", ExpectedVersion.NoStream, [Contact("A1")]);
        await Store.AppendAsync(tenant, "B", ExpectedVersion.NoStream, [Contact("B1")]);
        var ours = new[] { Contact("A2"), Contact("B2") };
        var seen = new List<long>();

        var result = await Store.DecideAndAppendAsync([(tenant, "A"), (tenant, "B")], [(tenant, ours[0].Id), (tenant, ours[1].Id)], stored =>
        {
            seen.Add(stored[(tenant, "B")].Count);
            // The first time, another writer moves B after our reads and before our write.
            if (seen.Count == 1) Store.AppendAsync(tenant, "B", ExpectedVersion.Exactly(1), [Contact("B-other")]).GetAwaiter().GetResult();
            return
            [
                new StreamAppend(tenant, "A", ExpectedVersion.Exactly(stored[(tenant, "A")].Count), [ours[0]]),
                new StreamAppend(tenant, "B", ExpectedVersion.Exactly(stored[(tenant, "B")].Count), [ours[1]]),
            ];
        });

        seen.ShouldBe([1L, 2L], "decided once on what was read, then again on what the other writer stored");
        result.Streams.Select(s => s.Version).ShouldBe([2L, 3L]);
        // A's event of the failed first write was rolled back with B's: stored once, not twice.
        (await Store.ReadStreamAsync(tenant, "A")).Select(e => ((ContactReceived)e.Data).ContactId).ShouldBe(["A1", "A2"]);
        (await Store.ReadStreamAsync(tenant, "B")).Select(e => ((ContactReceived)e.Data).ContactId).ShouldBe(["B1", "B-other", "B2"]);
        (await ReceiptsAsync(tenant)).ShouldBe(5);
    }

    [Fact]
    public async Task A_stream_started_in_between_fails_the_write_and_a_stale_expectation_is_a_conflict()
    {
        var tenant = NewTenant();
        var calls = 0;
        var error = await Should.ThrowAsync<ConcurrencyException>(() => Store.DecideAndAppendAsync([(tenant, "C")], [], stored =>
        {
            if (++calls == 1) Store.AppendAsync(tenant, "C", ExpectedVersion.NoStream, [Contact("other")]).GetAwaiter().GetResult();
            return [new StreamAppend(tenant, "C", ExpectedVersion.NoStream, [Contact("ours")])];
        }));

        calls.ShouldBe(2);
        error.Actual.ShouldBe(1);
        (await Store.ReadStreamAsync(tenant, "C")).Select(e => ((ContactReceived)e.Data).ContactId).ShouldBe(["other"]);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_before_writing_and_takes_no_sequence_number()
    {
        var tenant = NewTenant();
        (await Appender.AppendAsync([LiveContact(tenant, "C1")], AppendSource.Live, true)).Appended.ShouldBe(1);
        (await Appender.AppendAsync([LiveContact(tenant, "C1", contactId: "K2", at: Monday + Duration.FromMinutes(1))], AppendSource.Live, true, ExpectedVersion.Exactly(1))).Appended.ShouldBe(1);

        var error = await Should.ThrowAsync<ConcurrencyException>(() =>
            Appender.AppendAsync([LiveContact(tenant, "C1", contactId: "K3", at: Monday + Duration.FromMinutes(2))], AppendSource.Live, true, ExpectedVersion.Exactly(1)));
        error.Actual.ShouldBe(2);
        error.Expected.ShouldBe(ExpectedVersion.Exactly(1));
        (await Appender.AppendAsync([LiveContact(tenant, "C1", contactId: "K4", at: Monday + Duration.FromMinutes(3))], AppendSource.Live, true, ExpectedVersion.Exactly(2))).Appended.ShouldBe(1);

        var stored = await Store.ReadStreamAsync(tenant, "C1");
        stored.Select(e => e.Version).ShouldBe([1L, 2, 3]);
        (stored[2].Sequence - stored[1].Sequence).ShouldBe(1, "the refused append drew no sequence number (this class's appends run one at a time)");
    }

    [Fact]
    public async Task The_same_id_with_the_same_content_is_accepted_once_and_with_other_content_is_a_conflict()
    {
        var tenant = NewTenant();
        var first = LiveContact(tenant, "C1");
        (await Appender.AppendAsync([first], AppendSource.Live, true)).Appended.ShouldBe(1);

        // Same id, same content: accepted, nothing stored — under the If-Match the client last saw, too.
        var again = await Appender.AppendAsync([first], AppendSource.Live, true, ExpectedVersion.Exactly(1));
        (again.Appended, again.AlreadyPresent).ShouldBe((0, 1));
        (await Appender.AppendAsync([first], AppendSource.Live, true)).AlreadyPresent.ShouldBe(1);

        // Same id, other content: a conflict naming the id, on the same child or another child of the council.
        (await Should.ThrowAsync<EventIdConflictException>(() =>
            Appender.AppendAsync([first with { Data = new ContactReceived("K-other", ContactRoute.Mash) }], AppendSource.Live, true))).EventId.ShouldBe(first.Id);
        (await Should.ThrowAsync<EventIdConflictException>(() =>
            Appender.AppendAsync([LiveContact(tenant, "C2", first.Id)], AppendSource.Live, true))).EventId.ShouldBe(first.Id);
        // A batch with the conflicting id beside a good event stores neither.
        await Should.ThrowAsync<EventIdConflictException>(() =>
            Appender.AppendAsync([LiveContact(tenant, "C3"), LiveContact(tenant, "C3", first.Id, "K9", Monday + Duration.FromMinutes(1))], AppendSource.Live, true));

        (await Store.ReadStreamAsync(tenant, "C1")).ShouldHaveSingleItem().Id.ShouldBe(first.Id);
        (await Store.ReadStreamAsync(tenant, "C2")).ShouldBeEmpty();
        (await Store.ReadStreamAsync(tenant, "C3")).ShouldBeEmpty();
        (await ReceiptsAsync(tenant)).ShouldBe(1);

        // Nothing refused drew a sequence number.
        var next = await Appender.AppendAsync([LiveContact(tenant, "C1", contactId: "K2", at: Monday + Duration.FromMinutes(5))], AppendSource.Live, true);
        next.Appended.ShouldBe(1);
        var stored = await Store.ReadStreamAsync(tenant, "C1");
        (stored[1].Sequence - stored[0].Sequence).ShouldBe(1);
    }

    [Fact]
    public async Task A_crowd_on_one_child_is_stored_whole_without_if_match_and_once_under_the_same_if_match()
    {
        var tenant = NewTenant();
        var crowd = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Appender.AppendAsync([LiveContact(tenant, "C1", contactId: $"K{i}", at: Monday + Duration.FromMinutes(i))], AppendSource.Live, true))));
        crowd.Sum(o => o.Appended).ShouldBe(8);
        (await Store.ReadStreamAsync(tenant, "C1")).Select(e => e.Version).ShouldBe(Enumerable.Range(1, 8).Select(v => (long)v));

        var underIfMatch = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Appender.AppendAsync([LiveContact(tenant, "C1", contactId: $"L{i}", at: Monday + Duration.FromHours(1))], AppendSource.Live, true, ExpectedVersion.Exactly(8));
                return 0L;
            }
            catch (ConcurrencyException e) { return e.Actual; }
        })));
        underIfMatch.Count(a => a == 0).ShouldBe(1);
        underIfMatch.Where(a => a != 0).ShouldAllBe(a => a == 9);
        (await Store.ReadStreamAsync(tenant, "C1")).Count.ShouldBe(9);
    }

    private async Task<long> ReceiptsAsync(string tenant)
    {
        await using var cmd = db.DataSource.CreateCommand("select count(*) from event_receipts where tenant = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenant });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
