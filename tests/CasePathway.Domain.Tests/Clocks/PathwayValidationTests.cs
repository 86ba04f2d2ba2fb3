using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

public class PathwayValidationTests
{
    private static IReadOnlyList<FieldError> Check(PathwayEvent incoming, params PathwayEvent[] existing) =>
        PathwayValidation.Check(existing, incoming, Rulebook.Default);

    public static TheoryData<IPathwayEventData, string, IPathwayEventData, string> StopsBeforeStarts => new()
    {
        { new ContactReceived("K1", ContactRoute.Mash), "2022-10-03T09:15", new ContactScreened("K1", ScreeningOutcome.Nfa), "2022-10-02" },
        { new Section47Started("S1"), "2022-09-15", new InitialChildProtectionConferenceHeld("S1"), "2022-09-14" },
        { new AssessmentStarted("A1"), "2022-09-15", new AssessmentAuthorised("A1", AssessmentOutcome.Nfa), "2022-09-01T10:00" },
        { new Section47Started("S1"), "2022-09-15", new Section47Completed("S1", false), "2022-09-14" },
        { new BecameLookedAfter("LA1"), "2023-05-05", new LookedAfterReviewHeld("LA1"), "2023-05-04" },
    };

    [Theory, MemberData(nameof(StopsBeforeStarts))]
    public void A_stop_before_its_start_is_rejected_naming_occurredAt_and_both_dates(IPathwayEventData start, string startAt, IPathwayEventData stop, string stopAt)
    {
        var startEvent = E(startAt, start);
        var stopEvent = E(stopAt, stop);
        var error = Check(stopEvent, startEvent).ShouldHaveSingleItem();
        error.Field.ShouldBe("occurredAt");
        error.Message.ShouldContain(stopEvent.Type);
        error.Message.ShouldContain(startEvent.Type);
        error.Message.ShouldContain(startEvent.OccurredAt.ToString());
        error.Message.ShouldContain(stopEvent.OccurredAt.ToString());

        // arriving the other way round: the start after a stop already recorded
        var reverse = Check(startEvent, stopEvent).ShouldHaveSingleItem();
        reverse.Field.ShouldBe("occurredAt");
        reverse.Message.ShouldContain(stopEvent.OccurredAt.ToString());
    }

    [Fact]
    public void Stops_on_or_after_their_start_are_accepted()
    {
        Check(E("2022-10-03", new ContactScreened("K1", ScreeningOutcome.Nfa)), E("2022-10-03T09:15", new ContactReceived("K1", ContactRoute.Mash))).ShouldBeEmpty();
        Check(E("2022-10-07", new InitialChildProtectionConferenceHeld("S1")), E("2022-09-15", new Section47Started("S1"))).ShouldBeEmpty();
        Check(E("2022-10-07", new InitialChildProtectionConferenceHeld("S2")), E("2022-09-15", new Section47Started("S1"))).ShouldBeEmpty();
        // a later duplicate start is not the one that counts
        Check(E("2022-09-20", new Section47Started("S1")), E("2022-09-15", new Section47Started("S1")), E("2022-09-16", new InitialChildProtectionConferenceHeld("S1"))).ShouldBeEmpty();
    }

    [Fact]
    public void An_assessment_authorised_before_its_referral_was_received_is_rejected_through_the_link()
    {
        var errors = Check(E("2022-08-30", new AssessmentAuthorised("A1", AssessmentOutcome.Nfa)),
            E("2022-09-01", new ReferralReceived("R1")), E("2022-08-01", new AssessmentStarted("A1", "R1")));
        errors.ShouldHaveSingleItem().Message.ShouldContain("ReferralReceived");
    }

    [Fact]
    public void A_retraction_of_an_unknown_event_is_rejected()
    {
        var known = E("2022-09-15", new Section47Started("S1"));
        Check(Retract("2022-09-16", known), known).ShouldBeEmpty();
        var unknown = Guid.NewGuid();
        var error = Check(E("2022-09-16", new EventRetracted(unknown)), known).ShouldHaveSingleItem();
        error.Field.ShouldBe("data.retractedId");
        error.Message.ShouldContain(unknown.ToString());
        Check(E("2022-09-16", new EventRetracted(Guid.Empty))).ShouldHaveSingleItem().Field.ShouldBe("data.retractedId");
    }

    [Theory]
    [InlineData("contactId")]
    [InlineData("referralId")]
    [InlineData("s47Id")]
    public void Blank_required_ids_are_rejected(string field)
    {
        IPathwayEventData data = field switch
        {
            "contactId" => new ContactScreened(" ", ScreeningOutcome.Nfa),
            "referralId" => new ReferralDecisionMade("", ReferralOutcome.Nfa),
            _ => new Section47Started(""),
        };
        var error = Check(E("2022-09-15", data)).ShouldHaveSingleItem();
        error.Field.ShouldBe($"data.{field}");
    }

    [Fact]
    public void Optional_ids_may_be_absent() =>
        Check(E("2022-09-15", new ReferralReceived("R1", ContactId: null))).ShouldBeEmpty();

    [Fact]
    public void Blank_tenant_and_child_are_rejected() =>
        PathwayValidation.CheckFields(E("2022-09-15", new Section47Started("S1")) with { Tenant = "", Child = " " })
            .Select(e => e.Field).ShouldBe(["tenant", "child"]);

    [Theory]
    [InlineData("2022-10-03T09:20", true)]   // five minutes ahead: within clock skew
    [InlineData("2022-10-03T09:21", false)]
    [InlineData("2022-10-03", true)]         // today, date only
    [InlineData("2022-10-04", false)]        // tomorrow, date only
    public void An_event_that_has_not_happened_yet_is_refused_naming_occurredAt(string occurred, bool accepted)
    {
        var now = NodaTime.Text.InstantPattern.ExtendedIso.Parse("2022-10-03T08:15:00Z").Value; // 09:15 in London
        // The door decides it for every way in (DoorLimits), with the same five minutes of clock skew.
        var errors = DoorLimits.Check(E(occurred, new ContactReceived("K1", ContactRoute.Mash)), now).ToList();
        if (accepted) errors.ShouldBeEmpty();
        else errors.ShouldHaveSingleItem().Field.ShouldBe("occurredAt");
    }
}
