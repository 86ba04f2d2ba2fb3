using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Store.Tests;

public class PathwayEventMappingTests
{
    private static readonly Guid Id = Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01");

    [Fact]
    public void An_import_without_recordedAt_infers_the_start_of_the_london_day()
    {
        // 3 Oct 2022 is in British Summer Time: the London day starts at 23:00 UTC the day before.
        var e = new PathwayEvent(Id, "357", "C1", Occurrence.On(new LocalDate(2022, 10, 3)), new CaseClosed(), SourceSystem: "annex-a", SourceKey: "L6/4");

        var row = e.ToNewEvent(inferRecordedAt: true);

        row.RecordedAt.ShouldBe(Instant.FromUtc(2022, 10, 2, 23, 0));
        row.RecordedAtInferred.ShouldBeTrue();
        row.Type.ShouldBe("CaseClosed");
        row.DataJson.ShouldBe("{}");
        row.SourceSystem.ShouldBe("annex-a");
        row.SourceKey.ShouldBe("L6/4");
        e.StreamOf().ShouldBe("C1");
    }

    [Fact]
    public void A_live_event_without_recordedAt_leaves_it_to_the_store()
    {
        var e = new PathwayEvent(Id, "357", "C1", Occurrence.At(Instant.FromUtc(2022, 10, 3, 8, 0)), new CoreGroupHeld("P1"));

        var row = e.ToNewEvent(inferRecordedAt: false);

        row.RecordedAt.ShouldBeNull();
        row.RecordedAtInferred.ShouldBeFalse();
        row.DataJson.ShouldBe("""{"planId":"P1"}""");
    }

    [Fact]
    public void A_given_recordedAt_is_kept_and_never_marked_inferred()
    {
        var recorded = Instant.FromUtc(2022, 10, 4, 8, 0);
        var e = new PathwayEvent(Id, "357", "C1", Occurrence.On(new LocalDate(2022, 10, 3)), new CoreGroupHeld("P1"), recorded);

        var row = e.ToNewEvent(inferRecordedAt: true);

        row.RecordedAt.ShouldBe(recorded);
        row.RecordedAtInferred.ShouldBeFalse();
    }

    [Fact]
    public void A_stored_event_reads_back_with_the_store_recordedAt()
    {
        var recorded = Instant.FromUtc(2022, 10, 3, 9, 0);
        var stored = new StoredEvent(7, "357", "C1", 2, Id, "ContactScreened", new ContactScreened("K1", ScreeningOutcome.EarlyHelp),
            Occurrence.On(new LocalDate(2022, 10, 3)), recorded, false, recorded.Plus(Duration.FromSeconds(1)), "jsmith", "lcs", "S9", null);

        stored.ToPathwayEvent().ShouldBe(new PathwayEvent(Id, "357", "C1", Occurrence.On(new LocalDate(2022, 10, 3)),
            new ContactScreened("K1", ScreeningOutcome.EarlyHelp), recorded, "jsmith", "lcs", "S9"));
    }

    [Fact]
    public void Events_group_into_one_append_per_child_in_order()
    {
        PathwayEvent E(string child, int n) => new(Guid.Parse($"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b{n:x4}"), "357", child,
            Occurrence.On(new LocalDate(2022, 10, n)), new CoreGroupHeld($"P{n}"));

        var appends = new[] { E("A", 1), E("B", 2), E("A", 3) }.ToStreamAppends(inferRecordedAt: true);

        appends.Select(a => a.Stream).ShouldBe(["A", "B"]);
        appends[0].Events.Select(e => e.DataJson).ShouldBe(["""{"planId":"P1"}""", """{"planId":"P3"}"""]);
        appends.ShouldAllBe(a => a.Expected == ExpectedVersion.Any && a.Tenant == "357");
    }
}
