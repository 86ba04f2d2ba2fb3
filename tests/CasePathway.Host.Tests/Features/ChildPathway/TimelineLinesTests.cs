using System.Text.Json;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Calendar;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using NodaTime;

namespace CasePathway.Host.Tests.Features.ChildPathway;

/// <summary>The edge between the API's entries and the page's words: retractions named, corrections seen, bars placed.</summary>
public sealed class TimelineLinesTests
{
    private static readonly Guid Contact = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Retraction = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Corrected = Guid.Parse("00000000-0000-0000-0000-000000000003");

    private static TimelineEntry Entry(Guid id, string type, string occurred, string recorded, string data, bool retracted = false, int late = 0, bool inferred = false) =>
        new(1, id, type, occurred, recorded, inferred, recorded, "mash.duty1", "lcs", JsonDocument.Parse(data).RootElement.Clone(), retracted, late);

    private static readonly TimelineEntry Received = Entry(Contact, "ContactReceived", "2025-10-03T13:15:00+01:00", "2025-10-03T13:19:00+01:00",
        """{"contactId":"K1","route":"mash","source":"police"}""", retracted: true);

    [Fact]
    public void A_line_is_the_issues_sentence_with_its_reference_and_recording_time()
    {
        var line = TimelineLines.Of([Received], [Received]).Single();
        line.Sentence.ShouldBe("Fri 3 Oct 2025 13:15 — Contact from the police (MASH), recorded 4 minutes later by mash.duty1");
        line.Reference.ShouldBe("contact K1");
        line.RecordedWhen.ShouldBe("Fri 3 Oct 2025 13:19");
        line.IsLate.ShouldBeFalse();
    }

    [Fact]
    public void A_retraction_alone_withdraws_and_one_with_its_corrected_event_corrects()
    {
        var retraction = Entry(Retraction, "EventRetracted", "2025-10-06T09:00:00+01:00", "2025-10-06T09:00:00+01:00", $$"""{"retractedId":"{{Contact}}"}""");
        TimelineLines.Of([retraction], [Received, retraction]).Single().What
            .ShouldBe("“Contact from the police (MASH)” of Fri 3 Oct 2025 13:15 was withdrawn as recorded in error: it no longer counts");
        var corrected = Entry(Corrected, "ContactReceived", "2025-10-03T14:15:00+01:00", "2025-10-06T09:00:00+01:00", """{"contactId":"K1","route":"mash","source":"police"}""", late: 1);
        var lines = TimelineLines.Of([retraction, corrected], [Received, retraction, corrected]);
        lines[0].What.ShouldBe("Correction: “Contact from the police (MASH)” of Fri 3 Oct 2025 13:15 was replaced by a corrected record");
        lines[1].Recording.ShouldBe("recorded 1 working day late");
        lines[1].IsLate.ShouldBeTrue();
    }

    [Fact]
    public void An_inferred_recording_time_is_said_so_and_never_late()
    {
        var line = TimelineLines.Of([Entry(Contact, "CaseClosed", "2024-03-12", "2024-03-12T00:00:00Z", "{}", inferred: true)], []).Single();
        line.Sentence.ShouldBe("Tue 12 Mar 2024 — Case closed, recording time not given by the source; recorded by mash.duty1");
        line.RecordedWhen.ShouldBeNull();
        line.IsLate.ShouldBeFalse();
    }

    private static ClockView Clock(string started, string due, string? stopped, ClockStatus status) =>
        new("357", "C1", "screening", "Screening", "K1", TimeUnit.WorkingDays, started, due, stopped, status, 0, "", null, null);

    [Fact]
    public void The_picture_spans_first_start_to_last_due_stop_or_as_at_and_reds_only_breaches()
    {
        var asAt = Instant.FromUtc(2024, 3, 20, 12, 0);
        var picture = PathwayPicture.Of([
            Clock("2024-03-11", "2024-03-12", "2024-03-12", ClockStatus.Met),
            Clock("2024-03-11", "2024-03-14", "2024-03-18", ClockStatus.Late),
            Clock("2024-03-13", "2024-03-15", null, ClockStatus.Breached),
        ], asAt, isAsAt: true)!;
        picture.From.ShouldBe("Mon 11 Mar 2024");
        picture.To.ShouldBe("Wed 20 Mar 2024 12:00");
        picture.AsAt.ShouldBe(1000);
        var (met, late, open) = (picture.Bars[0], picture.Bars[1], picture.Bars[2]);
        met.Start.ShouldBe(0);
        met.PastDueFrom.ShouldBeNull();
        met.Stop!.Value.ShouldBeLessThan(met.Due); // stopped on its due date: inside the time allowed
        late.PastDueFrom.ShouldBe(late.Due);
        late.TakenTo.ShouldBe(late.Stop);
        late.Stop!.Value.ShouldBeGreaterThan(late.Due);
        open.Stop.ShouldBeNull();
        open.TakenTo.ShouldBe(1000);
        open.PastDueFrom.ShouldBe(open.Due);
        open.Summary.ShouldBe("Screening (K1): started Wed 13 Mar 2024, due Fri 15 Mar 2024; breached at the time chosen.");
        PathwayPicture.Of([], asAt, false).ShouldBeNull();
    }
}
