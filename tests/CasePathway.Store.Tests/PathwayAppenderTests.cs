using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;
using CasePathway.Testing;
using NodaTime;
using NodaTime.Testing;
using Shouldly;
using Xunit;

namespace CasePathway.Store.Tests;

/// <summary>The one way in: every write is decided against the child's stream as stored, under its version.</summary>
public class PathwayAppenderTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly Instant Now = Instant.FromUtc(2022, 10, 10, 12, 0);
    private static readonly Instant Monday = Instant.FromUtc(2022, 10, 3, 8, 15);

    private PathwayAppender Appender => new(db.EventStore, t => CasePathway.Domain.Tenants.TenantContext.Of(new CasePathway.Domain.Tenants.TenantSettings(t)), new FakeClock(Now));

    private static PathwayEvent Contact(string tenant, string child, Instant at, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), tenant, child, Occurrence.At(at), new ContactReceived("K1", ContactRoute.Mash), RecordedAt: at);

    private static PathwayEvent Screening(string tenant, string child, Instant at) =>
        new(Guid.NewGuid(), tenant, child, Occurrence.At(at), new ContactScreened("K1", ScreeningOutcome.Referral), RecordedAt: at);

    [Fact]
    public async Task Two_writers_cannot_together_slip_past_a_rule_each_alone_meets()
    {
        // A contact and a screening dated an hour before it, sent side by side for many children: whichever
        // is decided second sees the first (or is decided again after the first moved the stream) and is
        // refused. Before the one way in, most such pairs were both stored.
        var tenant = "pair-" + Guid.NewGuid().ToString("N")[..6];
        var children = Enumerable.Range(0, 40).Select(i => $"C{i}").ToList();
        var pairs = children.Select(async child =>
        {
            var contact = Task.Run(() => Appender.AppendAsync([Contact(tenant, child, Monday)], AppendSource.Live, allOrNothing: true));
            var screening = Task.Run(() => Appender.AppendAsync([Screening(tenant, child, Monday - Duration.FromHours(1))], AppendSource.Live, allOrNothing: true));
            return await Task.WhenAll(contact, screening);
        });
        var outcomes = await Task.WhenAll(pairs);

        foreach (var (child, pair) in children.Zip(outcomes))
        {
            var stored = await db.EventStore.ReadStreamAsync(tenant, child);
            var refused = pair.Count(o => o.Refused);
            refused.ShouldBe(1, $"child {child}: exactly one of the pair is refused");
            stored.Count.ShouldBe(1, $"child {child}: the stream never holds a screening before its contact");
        }
    }

    [Fact]
    public async Task An_all_or_nothing_batch_with_one_bad_event_stores_nothing_and_names_it()
    {
        var tenant = "bad-" + Guid.NewGuid().ToString("N")[..6];
        var good = Contact(tenant, "C1", Monday);
        var bad = Screening(tenant, "C1", Monday - Duration.FromHours(2));

        var outcome = await Appender.AppendAsync([good, bad], AppendSource.Live, allOrNothing: true);

        outcome.Refused.ShouldBeTrue();
        outcome.Events[0].Fate.ShouldBe(EventFate.Appended);
        outcome.Events[1].Fate.ShouldBe(EventFate.Rejected);
        outcome.Events[1].Problems.ShouldContain(p => p.Field == "occurredAt");
        (await db.EventStore.ReadStreamAsync(tenant, "C1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_import_stores_the_good_events_and_rejects_only_the_bad_one()
    {
        var tenant = "imp-" + Guid.NewGuid().ToString("N")[..6];
        var outcome = await Appender.AppendAsync(
            [Contact(tenant, "C1", Monday),
             new PathwayEvent(Guid.NewGuid(), tenant, "C2", Occurrence.At(Monday), new EventRetracted(Guid.NewGuid())),
             Contact(tenant, "C3", Monday)],
            AppendSource.Import, allOrNothing: false);

        outcome.Refused.ShouldBeFalse();
        outcome.Events.Select(e => e.Fate).ShouldBe([EventFate.Appended, EventFate.Rejected, EventFate.Appended]);
        (await db.EventStore.ReadStreamAsync(tenant, "C1")).Count.ShouldBe(1);
        (await db.EventStore.ReadStreamAsync(tenant, "C2")).ShouldBeEmpty();
        (await db.EventStore.ReadStreamAsync(tenant, "C3")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_live_event_from_the_future_is_refused_but_history_is_not_judged_by_now()
    {
        var tenant = "fut-" + Guid.NewGuid().ToString("N")[..6];
        var future = Contact(tenant, "C1", Now + Duration.FromHours(1));

        (await Appender.AppendAsync([future], AppendSource.Live, allOrNothing: true)).Events[0].Problems
            .ShouldContain(p => p.Field == "occurredAt");
        (await Appender.AppendAsync([Contact(tenant, "C2", Monday)], AppendSource.Import, allOrNothing: false)).Appended.ShouldBe(1);
    }

    [Fact]
    public async Task Event_ids_are_scoped_to_their_council()
    {
        // Another council's import may generate the same id: it neither blocks this one nor learns it exists.
        var id = Guid.NewGuid();
        var a = "a-" + Guid.NewGuid().ToString("N")[..6];
        var b = "b-" + Guid.NewGuid().ToString("N")[..6];

        (await Appender.AppendAsync([Contact(a, "C1", Monday, id)], AppendSource.Live, allOrNothing: true)).Appended.ShouldBe(1);
        (await Appender.AppendAsync([Contact(b, "C9", Monday + Duration.FromMinutes(1), id)], AppendSource.Live, allOrNothing: true)).Appended.ShouldBe(1);

        (await db.EventStore.ReadStreamAsync(a, "C1")).ShouldHaveSingleItem().Id.ShouldBe(id);
        (await db.EventStore.ReadStreamAsync(b, "C9")).ShouldHaveSingleItem().Id.ShouldBe(id);
    }

    [Fact]
    public async Task An_import_of_new_children_refuses_an_id_stored_under_another_child_and_draws_no_sequence_number()
    {
        // An import's new children are not looked up id by id: the receipts' key catches the id stored before, and
        // the import then decides again with every id looked up — the same conflict as ever, and no gap left behind.
        var tenant = "new-" + Guid.NewGuid().ToString("N")[..6];
        var taken = Guid.NewGuid();
        (await Appender.AppendAsync([Contact(tenant, "C0", Monday, taken)], AppendSource.Live, allOrNothing: true)).Appended.ShouldBe(1);
        var sequenceBefore = await LastSequenceAsync();

        var children = Enumerable.Range(1, 100).Select(i => Contact(tenant, $"N{i}", Monday, i == 57 ? taken : null)).ToList();
        var error = await Should.ThrowAsync<EventIdConflictException>(() => Appender.AppendAsync(children, AppendSource.Import, allOrNothing: false));

        error.EventId.ShouldBe(taken);
        (await db.EventStore.ReadStreamAsync(tenant, "N1")).ShouldBeEmpty();
        (await LastSequenceAsync()).ShouldBe(sequenceBefore);

        // Without the taken id the same import goes in whole, and again appends nothing.
        children[56] = Contact(tenant, "N57", Monday);
        (await Appender.AppendAsync(children, AppendSource.Import, allOrNothing: false)).Appended.ShouldBe(100);
        var again = await Appender.AppendAsync(children, AppendSource.Import, allOrNothing: false);
        again.Appended.ShouldBe(0);
        again.Events.ShouldAllBe(e => e.Fate == EventFate.AlreadyPresent);
        (await LastSequenceAsync()).ShouldBe(sequenceBefore + 100);
    }

    private async Task<long> LastSequenceAsync()
    {
        await using var cmd = db.DataSource.CreateCommand($"select last_value from {EventStoreOptions.SchemaName}.mt_events_sequence");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Under_an_exact_expected_version_a_moved_stream_is_a_conflict()
    {
        var tenant = "ver-" + Guid.NewGuid().ToString("N")[..6];
        await Appender.AppendAsync([Contact(tenant, "C1", Monday)], AppendSource.Live, allOrNothing: true);

        var error = await Should.ThrowAsync<ConcurrencyException>(() =>
            Appender.AppendAsync([Screening(tenant, "C1", Monday + Duration.FromHours(1))], AppendSource.Live, allOrNothing: true, ExpectedVersion.Exactly(0)));
        error.Actual.ShouldBe(1);
        (await Appender.AppendAsync([Screening(tenant, "C1", Monday + Duration.FromHours(1))], AppendSource.Live, allOrNothing: true, ExpectedVersion.Exactly(1)))
            .Streams.ShouldHaveSingleItem().Version.ShouldBe(2);
    }
}
