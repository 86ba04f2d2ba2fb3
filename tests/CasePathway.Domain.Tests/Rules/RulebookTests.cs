using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Rules;

public class RulebookTests
{
    [Theory]
    [InlineData("mash-screening", "ContactReceived", "ContactScreened", "", 72, TimeUnit.WorkingHours)]
    [InlineData("ehap-screening", "ContactReceived", "ContactScreened", "", 5, TimeUnit.WorkingDays)]
    [InlineData("referral-decision", "ReferralReceived", "ReferralDecisionMade", "", 1, TimeUnit.WorkingDays)]
    [InlineData("strategy-discussion", "StrategyDiscussionRequested", "StrategyDiscussionHeld", "", 1, TimeUnit.WorkingDays)]
    [InlineData("assessment", "ReferralReceived", "AssessmentAuthorised", "CaseClosed,ReferralDecisionMade", 45, TimeUnit.WorkingDays)]
    [InlineData("assessment-duration", "AssessmentStarted", "AssessmentAuthorised", "", 45, TimeUnit.WorkingDays)]
    [InlineData("icpc", "Section47Started", "InitialChildProtectionConferenceHeld", "Section47Completed", 15, TimeUnit.WorkingDays)]
    [InlineData("core-group", "InitialChildProtectionConferenceHeld", "CoreGroupHeld", "ChildProtectionPlanEnded", 10, TimeUnit.WorkingDays)]
    [InlineData("cp-review", "InitialChildProtectionConferenceHeld", "ChildProtectionReviewHeld", "ChildProtectionPlanEnded", 3, TimeUnit.CalendarMonths)]
    [InlineData("cin-review", "ChildInNeedPlanStarted", "ChildInNeedReviewHeld", "ChildInNeedPlanEnded", 3, TimeUnit.CalendarMonths)]
    [InlineData("return-interview", "ChildReturned", "ReturnInterviewCompleted", "ReturnInterviewDeclined", 72, TimeUnit.ElapsedHours)]
    [InlineData("cla-review", "BecameLookedAfter", "LookedAfterReviewHeld", "CeasedLookedAfter", 20, TimeUnit.WorkingDays)]
    [InlineData("early-help-assessment", "EarlyHelpConsentGiven", "EarlyHelpAssessmentCompleted", "", 45, TimeUnit.WorkingDays)]
    public void The_default_rulebook_has_every_rule_of_the_timescales_table(string id, string start, string stop, string cancels, int amount, TimeUnit unit)
    {
        var rule = Rulebook.Default[id];
        rule.Enabled.ShouldBeTrue();
        rule.Start.Event.ShouldBe(start);
        rule.Stops.Select(s => s.Event).ShouldBe([stop]);
        rule.Cancels.Select(c => c.Event).ShouldBe(cancels.Split(',', StringSplitOptions.RemoveEmptyEntries));
        rule.Limit.ShouldBe(new Limit(amount, unit));
        rule.Source.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Default_has_exactly_the_thirteen_rules() =>
        Rulebook.Default.Rules.Select(r => r.Id).Order().ShouldBe(
            new[] { "assessment", "assessment-duration", "cin-review", "cla-review", "core-group", "cp-review", "early-help-assessment",
                    "ehap-screening", "icpc", "mash-screening", "referral-decision", "return-interview", "strategy-discussion" });

    [Fact]
    public void Reviews_repeat_with_their_later_limits()
    {
        var cp = Rulebook.Default["cp-review"];
        Enumerable.Range(1, 4).Select(cp.LimitOf).ShouldBe(
            [new Limit(3, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths)]);
        var cla = Rulebook.Default["cla-review"];
        Enumerable.Range(1, 4).Select(cla.LimitOf).ShouldBe(
            [new Limit(20, TimeUnit.WorkingDays), new Limit(3, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths)]);
        Rulebook.Default["icpc"].IsRepeating.ShouldBeFalse();
    }

    [Fact]
    public void Cin_reviews_default_to_a_local_3_months_then_every_3_months_that_a_tenant_can_change()
    {
        var cin = Rulebook.Default["cin-review"];
        Enumerable.Range(1, 3).Select(cin.LimitOf).ShouldBe(
            [new Limit(3, TimeUnit.CalendarMonths), new Limit(3, TimeUnit.CalendarMonths), new Limit(3, TimeUnit.CalendarMonths)]);
        cin.Source.ShouldContain("Local");
        cin.Source.ShouldContain("override");

        var book = Rulebook.WithOverrides("""{"rules": {"cin-review": {"limit": {"amount": 20, "unit": "working-days"}, "then": [{"amount": 6, "unit": "calendar-months"}]}}}""");
        Enumerable.Range(1, 3).Select(book["cin-review"].LimitOf).ShouldBe(
            [new Limit(20, TimeUnit.WorkingDays), new Limit(6, TimeUnit.CalendarMonths), new Limit(6, TimeUnit.CalendarMonths)]);
    }

    private static PathwayEvent Contact(ContactRoute route, bool? rfi = null) =>
        new(Guid.NewGuid(), "357", "C1", Occurrence.On(new LocalDate(2022, 10, 3)), new ContactReceived("K1", route, RequestForInformation: rfi));

    [Theory]
    [InlineData(ContactRoute.Mash, null, true, false)]
    [InlineData(ContactRoute.Mash, false, true, false)]
    [InlineData(ContactRoute.Mash, true, false, false)]
    [InlineData(ContactRoute.Unknown, null, true, false)]
    [InlineData(ContactRoute.Ehap, null, false, true)]
    [InlineData(ContactRoute.Ehap, true, false, true)]
    public void Screening_rules_start_by_route_and_mash_excludes_requests_for_information(ContactRoute route, bool? rfi, bool mash, bool ehap)
    {
        Rulebook.Default["mash-screening"].Start.Matches(Contact(route, rfi)).ShouldBe(mash);
        Rulebook.Default["ehap-screening"].Start.Matches(Contact(route, rfi)).ShouldBe(ehap);
    }

    [Fact]
    public void Only_a_completed_s47_needing_no_conference_cancels_the_icpc()
    {
        var cancel = Rulebook.Default["icpc"].Cancels.Single();
        cancel.Matches(Event(new Section47Completed("S1", IcpcRequired: false))).ShouldBeTrue();
        cancel.Matches(Event(new Section47Completed("S1", IcpcRequired: true))).ShouldBeFalse();
    }

    private static PathwayEvent Event(IPathwayEventData data) => new(Guid.NewGuid(), "357", "C1", Occurrence.On(new LocalDate(2022, 10, 3)), data);

    [Fact]
    public void A_tenant_override_changes_a_limit_and_its_unit()
    {
        var book = Rulebook.WithOverrides("""{"rules": {"referral-decision": {"limit": {"amount": 24, "unit": "elapsed-hours"}}}}""");
        book["referral-decision"].Limit.ShouldBe(new Limit(24, TimeUnit.ElapsedHours));
        book["icpc"].ShouldBe(Rulebook.Default["icpc"]);
        Rulebook.Default["referral-decision"].Limit.ShouldBe(new Limit(1, TimeUnit.WorkingDays));
    }

    [Fact]
    public void A_tenant_override_can_disable_a_rule()
    {
        var book = Rulebook.WithOverrides("""{"rules": {"early-help-assessment": {"enabled": false}}}""");
        book["early-help-assessment"].Enabled.ShouldBeFalse();
        book.Enabled.Select(r => r.Id).ShouldNotContain("early-help-assessment");
        book.Enabled.Count().ShouldBe(12);
    }

    [Theory]
    [InlineData("""{"rules": {"referal-decision": {"enabled": false}}}""", "unknown rule 'referal-decision'")]
    [InlineData("""{"rules": {"icpc": {"limit": {"amount": 15, "unit": "workdays"}}}}""", "rule 'icpc', field 'limit.unit': unknown unit 'workdays'")]
    [InlineData("""{"rules": {"icpc": {"limit": {"amount": 0, "unit": "working-days"}}}}""", "rule 'icpc', field 'limit.amount'")]
    [InlineData("""{"rules": {"icpc": {"limt": {"amount": 15, "unit": "working-days"}}}}""", "limt")]
    [InlineData("""{"rules": """, "override: not a valid file")]
    public void A_bad_override_is_a_clear_error_naming_it(string json, string expected) =>
        Should.Throw<RulebookException>(() => Rulebook.WithOverrides(json)).Message.ShouldContain(expected);

    private const string OneRule = """
        {"rules": [{"id": "icpc", "title": "ICPC",
          "start": {"event": "Section47Started", "episode": "s47Id"},
          "stops": [{"event": "InitialChildProtectionConferenceHeld", "episode": "s47Id"}],
          "cancels": [{"event": "Section47Completed", "episode": "s47Id", "where": [{"field": "icpcRequired", "in": [false]}]}],
          "limit": {"amount": 15, "unit": "working-days"}, "source": "Working Together"}],
         "sources": [{"system": "annex-a", "cannotRecord": ["ContactScreened"]}]}
        """;

    [Fact]
    public void A_valid_rulebook_file_loads() => Rulebook.Load(OneRule)["icpc"].Limit.ShouldBe(new Limit(15, TimeUnit.WorkingDays));

    [Theory]
    [InlineData("\"Section47Started\", \"episode\": \"s47Id\"}", "\"S47Begun\", \"episode\": \"s47Id\"}", "rule 'icpc', field 'start.event': unknown event type 'S47Begun'")]
    [InlineData("\"unit\": \"working-days\"", "\"unit\": \"fortnights\"", "rule 'icpc', field 'limit.unit': unknown unit 'fortnights'")]
    [InlineData("\"field\": \"icpcRequired\"", "\"field\": \"icpcNeeded\"", "rule 'icpc', field 'cancels[0].where[0].field': Section47Completed has no field 'icpcNeeded'")]
    [InlineData("\"in\": [false]", "\"in\": [\"no\"]", "rule 'icpc', field 'cancels[0].where[0].in': 'no' is not a value of Section47Completed.icpcRequired")]
    [InlineData("\"episode\": \"s47Id\"}]", "\"episode\": \"caseId\"}]", "rule 'icpc', field 'stops[0].episode': InitialChildProtectionConferenceHeld has no field 'caseId'")]
    [InlineData("[\"ContactScreened\"]", "[\"ContactSifted\"]", "source 'annex-a', field 'cannotRecord': unknown event type 'ContactSifted'")]
    [InlineData("\"title\"", "\"titel\"", "titel")]
    public void An_invalid_rulebook_is_an_error_naming_rule_and_field(string from, string to, string expected)
    {
        OneRule.ShouldContain(from);
        Should.Throw<RulebookException>(() => Rulebook.Load(OneRule.Replace(from, to))).Message.ShouldContain(expected);
    }

    [Fact]
    public void A_stop_the_source_cannot_record_makes_the_rule_not_measurable_from_it()
    {
        var book = Rulebook.Default;
        book.WhyNotMeasurable(book["referral-decision"], "annex-a")!.ShouldContain("annex-a cannot record ReferralDecisionMade");
        book.WhyNotMeasurable(book["referral-decision"], "cin-census").ShouldNotBeNull();
        book.WhyNotMeasurable(book["referral-decision"], "lcs").ShouldBeNull();
        book.WhyNotMeasurable(book["referral-decision"], null).ShouldBeNull();
        book.WhyNotMeasurable(book["icpc"], "annex-a").ShouldBeNull();
        book.WhyNotMeasurable(book["mash-screening"], "annex-a").ShouldNotBeNull();
        book.WhyNotMeasurable(book["cin-review"], "cin-census")!.ShouldContain("cin-census cannot record ChildInNeedReviewHeld");
        book.WhyNotMeasurable(book["cin-review"], "lcs").ShouldBeNull();
    }

    [Fact]
    public void A_stop_reached_through_a_link_the_source_never_fills_makes_the_rule_not_measurable_from_it()
    {
        // Annex A records authorisations but never which referral an assessment answers.
        var book = Rulebook.Default;
        book.WhyNotMeasurable(book["assessment"], "annex-a")!.ShouldContain("annex-a cannot record AssessmentAuthorised linked by AssessmentStarted.referralId");
        book.WhyNotMeasurable(book["assessment-duration"], "annex-a").ShouldBeNull();
        book.WhyNotMeasurable(book["assessment"], "cin-census").ShouldBeNull();
    }

    [Theory]
    [InlineData("AssessmentStarted.nope")]
    [InlineData("Nothing.referralId")]
    [InlineData("AssessmentStarted")]
    public void An_unknown_link_in_a_source_is_an_error(string link)
    {
        var json = OneRule.Replace("\"cannotRecord\": [\"ContactScreened\"]", $"\"cannotRecord\": [\"ContactScreened\"], \"cannotLink\": [\"{link}\"]");
        json.ShouldContain("cannotLink");
        Should.Throw<RulebookException>(() => Rulebook.Load(json)).Message.ShouldContain($"'{link}' is not Event.field");
    }
}
