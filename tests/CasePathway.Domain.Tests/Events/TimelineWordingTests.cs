using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;
using Shouldly;

namespace CasePathway.Domain.Tests.Events;

/// <summary>The child page's timeline in plain English: every event kind in words, London times, lateness.</summary>
public class TimelineWordingTests
{
    private static readonly Guid Earlier = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid EarlierRetraction = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    /// <summary>Every type of the catalogue, with the words it must read as.</summary>
    public static readonly TheoryData<IPathwayEventData, string> Kinds = new()
    {
        { new CaseAllocated("MASH", "mash.duty1"), "Allocated to mash.duty1 in MASH" },
        { new BreachReasonRecorded("icpc", "S1", "awaiting-partner", "Police not available until Friday"), "Reason for delay recorded for the icpc clock of S1: awaiting-partner (“Police not available until Friday”)" },
        { new ContactReceived("K1", ContactRoute.Mash, "police"), "Contact from the police (MASH)" },
        { new ContactScreened("K1", ScreeningOutcome.Referral), "Contact screened: referred to children's social care" },
        { new ReferralReceived("R1", "K1", "school"), "Referral received from a school" },
        { new ReferralDecisionMade("R1", ReferralOutcome.StrategyDiscussion), "Decision on the referral: a strategy discussion" },
        { new StrategyDiscussionRequested("S1", "R1"), "Strategy discussion requested" },
        { new StrategyDiscussionHeld("S1", StrategyOutcome.S47, new Attendance(true, true, false)), "Strategy discussion held: a Section 47 enquiry; attended by the police and health, not by education" },
        { new Section47Started("E1", "S1"), "Section 47 enquiry started" },
        { new Section47Completed("E1", true), "Section 47 enquiry completed: an initial child protection conference is needed" },
        { new ChildSeen(S47Id: "E1"), "Child seen" },
        { new AssessmentStarted("A1", "R1"), "Child and family assessment started" },
        { new AssessmentAuthorised("A1", AssessmentOutcome.Services), "Child and family assessment authorised: services needed" },
        { new InitialChildProtectionConferenceHeld("E1", "P1"), "Initial child protection conference held: a child protection plan made" },
        { new CoreGroupHeld("P1"), "Core group meeting held" },
        { new ChildProtectionReviewHeld("P1"), "Child protection review conference held" },
        { new ChildProtectionPlanEnded("P1"), "Child protection plan ended" },
        { new ChildInNeedPlanStarted("N1"), "Child in need plan started" },
        { new ChildInNeedReviewHeld("N1"), "Child in need plan reviewed" },
        { new ChildInNeedPlanEnded("N1"), "Child in need plan ended" },
        { new ChildWentMissing("M1"), "Child went missing" },
        { new ChildReturned("M1"), "Child returned after being missing" },
        { new ReturnInterviewOffered("M1"), "Return home interview offered" },
        { new ReturnInterviewCompleted("M1"), "Return home interview completed" },
        { new ReturnInterviewDeclined("M1"), "Return home interview declined" },
        { new BecameLookedAfter("L1"), "Child became looked after" },
        { new LookedAfterReviewHeld("L1"), "Looked-after review held" },
        { new CeasedLookedAfter("L1"), "Child ceased to be looked after" },
        { new EarlyHelpConsentGiven("H1"), "Consent to early help given" },
        { new EarlyHelpAssessmentCompleted("H1"), "Early help assessment completed" },
        { new CaseClosed("R1"), "Case closed" },
        { new EventRetracted(Earlier), "“Contact from the police (MASH)” of Fri 3 Oct 2025 13:15 was withdrawn as recorded in error: it no longer counts" },
    };

    private static RetractedEvent? Lookup(Guid id) =>
        id == Earlier ? new RetractedEvent(new ContactReceived("K1", ContactRoute.Mash, "police"), Occurrence.At(Instant.FromUtc(2025, 10, 3, 12, 15)), false)
        : id == EarlierRetraction ? new RetractedEvent(new EventRetracted(Earlier), Occurrence.At(Instant.FromUtc(2025, 10, 4, 9, 0)), false)
        : null;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_event_kind_reads_as_a_plain_sentence(IPathwayEventData data, string expected) =>
        TimelineWording.What(data, Lookup).ShouldBe(expected);

    [Fact]
    public void The_table_above_covers_every_type_in_the_catalogue() =>
        Kinds.Select(k => k[0].GetType().Name).Order().ShouldBe(EventTypes.Names.Order());

    [Theory]
    [InlineData(null, "Contact received (MASH)")]
    [InlineData("anonymous", "Anonymous contact (MASH)")]
    [InlineData("GP surgery", "Contact from GP surgery (MASH)")]
    public void A_contact_names_its_source_as_given_when_it_has_no_wording(string? source, string expected) =>
        TimelineWording.What(new ContactReceived("K1", ContactRoute.Mash, source)).ShouldBe(expected);

    [Fact]
    public void Variants_of_outcomes_and_allocations_are_said_plainly()
    {
        TimelineWording.What(new ContactReceived("K1", ContactRoute.Ehap, "health", true)).ShouldBe("Contact from health (early help), a request for information");
        TimelineWording.What(new ContactReceived("K1", ContactRoute.Unknown, "self")).ShouldBe("Contact from the family (self-referral)");
        TimelineWording.What(new ContactScreened("K1", ScreeningOutcome.Nfa)).ShouldBe("Contact screened: no further action");
        TimelineWording.What(new CaseAllocated("Assessment 1", null)).ShouldBe("Allocated to the Assessment 1 team, no worker named");
        TimelineWording.What(new CaseAllocated(null, null)).ShouldBe("Allocation recorded with no team or worker");
        TimelineWording.What(new Section47Completed("E1", false)).ShouldBe("Section 47 enquiry completed: no conference needed");
        TimelineWording.What(new AssessmentAuthorised("A1")).ShouldBe("Child and family assessment authorised");
        TimelineWording.What(new InitialChildProtectionConferenceHeld("E1")).ShouldBe("Initial child protection conference held: no plan made");
    }

    [Fact]
    public void Retractions_corrections_and_undone_retractions_name_what_they_change()
    {
        TimelineWording.What(new EventRetracted(Guid.NewGuid()), Lookup)
            .ShouldBe("An earlier record was withdrawn as made in error (it is not on this timeline)");
        TimelineWording.What(new EventRetracted(EarlierRetraction), Lookup)
            .ShouldBe("The withdrawal of “Contact from the police (MASH)” of Fri 3 Oct 2025 13:15 was undone: that record counts again");
        TimelineWording.What(new EventRetracted(Earlier), id => Lookup(id)! with { CorrectedAlongside = true })
            .ShouldBe("Correction: “Contact from the police (MASH)” of Fri 3 Oct 2025 13:15 was replaced by a corrected record");
    }

    [Fact]
    public void References_name_the_episode_ids()
    {
        TimelineWording.Reference(new ContactReceived("K1", ContactRoute.Mash)).ShouldBe("contact K1");
        TimelineWording.Reference(new ReferralReceived("R1", "K1")).ShouldBe("referral R1, from contact K1");
        TimelineWording.Reference(new ChildSeen("R1", null, "A1")).ShouldBe("referral R1, assessment A1");
        TimelineWording.Reference(new ChildSeen()).ShouldBeNull();
        TimelineWording.Reference(new EventRetracted(Earlier)).ShouldBeNull();
    }

    private static Occurrence At(int y, int m, int d, int h, int min) => Occurrence.At(Instant.FromUtc(y, m, d, h, min));

    /// <summary>London local time, to the minute, on either side of the clock changes.</summary>
    [Theory]
    [InlineData(2025, 10, 3, 12, 15, "Fri 3 Oct 2025 13:15")] // BST: UTC+1
    [InlineData(2025, 12, 1, 9, 0, "Mon 1 Dec 2025 09:00")] // GMT
    [InlineData(2025, 3, 30, 0, 59, "Sun 30 Mar 2025 00:59")] // the last GMT minute before the clocks go forward
    [InlineData(2025, 3, 30, 1, 0, "Sun 30 Mar 2025 02:00")] // the first BST minute: 01:00–01:59 never happens
    [InlineData(2025, 10, 26, 0, 30, "Sun 26 Oct 2025 01:30")] // the first 01:30 (BST)
    [InlineData(2025, 10, 26, 1, 30, "Sun 26 Oct 2025 01:30")] // the second 01:30 (GMT) after the clocks go back
    [InlineData(2025, 10, 25, 23, 30, "Sun 26 Oct 2025 00:30")] // a UTC Saturday is a London Sunday
    public void Times_are_London_local_without_seconds_or_offsets(int y, int m, int d, int h, int min, string expected) =>
        TimelineWording.When(At(y, m, d, h, min)).ShouldBe(expected);

    [Fact]
    public void A_date_only_occurrence_is_its_date_alone() =>
        TimelineWording.When(Occurrence.On(new LocalDate(2024, 3, 12))).ShouldBe("Tue 12 Mar 2024");

    public static readonly TheoryData<Occurrence, Instant, bool, int, string> Recordings = new()
    {
        // the issue's example: 4 minutes after a contact at 13:15 BST
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 3, 12, 19), false, 0, "recorded 4 minutes later" },
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 3, 12, 15, 30), false, 0, "recorded at the time" },
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 3, 12, 16), false, 0, "recorded 1 minute later" },
        { At(2025, 10, 3, 9, 0), Instant.FromUtc(2025, 10, 3, 11, 5), false, 0, "recorded 2 hours 5 minutes later" },
        { At(2025, 10, 3, 9, 0), Instant.FromUtc(2025, 10, 3, 10, 0), false, 0, "recorded 1 hour later" },
        // Friday evening to Sunday: no working day passed, so not late; the gap is said in days
        { At(2025, 10, 3, 17, 0), Instant.FromUtc(2025, 10, 5, 18, 0), false, 0, "recorded 2 days later" },
        // late: the timeline's own count of working days (docs/conventions.md), however many calendar days
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 8, 9, 0), false, 3, "recorded 3 working days late" },
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 6, 9, 0), false, 1, "recorded 1 working day late" },
        // across the clocks going back: 01:30 BST to 01:10 GMT is 40 minutes, not 20 minutes before
        { At(2025, 10, 26, 0, 30), Instant.FromUtc(2025, 10, 26, 1, 10), false, 0, "recorded 40 minutes later" },
        // across the clocks going forward: 00:50 GMT to 02:10 BST is 20 minutes
        { At(2025, 3, 30, 0, 50), Instant.FromUtc(2025, 3, 30, 1, 10), false, 0, "recorded 20 minutes later" },
        { At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 3, 11, 0), false, 0, "recorded 1 hour 15 minutes before it happened" },
        { Occurrence.On(new LocalDate(2024, 3, 12)), Instant.FromUtc(2024, 3, 12, 16, 0), false, 0, "recorded the same day" },
        { Occurrence.On(new LocalDate(2024, 3, 16)), Instant.FromUtc(2024, 3, 17, 9, 0), false, 0, "recorded 1 day later" },
        // a date-only day in BST recorded just after London midnight is the next day, though the same UTC date
        { Occurrence.On(new LocalDate(2024, 6, 15)), Instant.FromUtc(2024, 6, 15, 23, 30), false, 0, "recorded 1 day later" },
        { Occurrence.On(new LocalDate(2024, 3, 12)), Instant.FromUtc(2024, 3, 14, 9, 0), false, 2, "recorded 2 working days late" },
        // a historical import without a recording time: never late, and said so
        { Occurrence.On(new LocalDate(2024, 3, 12)), Instant.FromUtc(2024, 3, 12, 0, 0), true, 0, "recording time not given by the source" },
    };

    [Theory]
    [MemberData(nameof(Recordings))]
    public void How_long_after_it_happened_an_event_was_recorded(Occurrence occurred, Instant recorded, bool inferred, int lateWorkingDays, string expected) =>
        TimelineWording.Recording(occurred, recorded, inferred, lateWorkingDays).ShouldBe(expected);

    [Fact]
    public void The_whole_line_reads_as_the_issue_asks() =>
        TimelineWording.Line(At(2025, 10, 3, 12, 15), "Contact from the police (MASH)",
                TimelineWording.Recording(At(2025, 10, 3, 12, 15), Instant.FromUtc(2025, 10, 3, 12, 19), false, 0), "mash.duty1")
            .ShouldBe("Fri 3 Oct 2025 13:15 — Contact from the police (MASH), recorded 4 minutes later by mash.duty1");

    [Fact]
    public void Who_recorded_it_follows_the_recording_words() =>
        TimelineWording.Line(Occurrence.On(new LocalDate(2024, 3, 12)), "Case closed", TimelineWording.Recording(Occurrence.On(new LocalDate(2024, 3, 12)), Instant.FromUtc(2024, 3, 12, 0, 0), true, 0), "annex-a")
            .ShouldBe("Tue 12 Mar 2024 — Case closed, recording time not given by the source; recorded by annex-a");
}
