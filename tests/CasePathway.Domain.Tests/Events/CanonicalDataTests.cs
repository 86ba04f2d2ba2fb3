using CasePathway.Domain.Events;

namespace CasePathway.Domain.Tests.Events;

public class CanonicalDataTests
{
    [Fact]
    public void Canonical_data_is_camel_case_in_catalogue_order_with_kebab_enums_and_no_nulls()
    {
        EventJson.CanonicalData(new StrategyDiscussionHeld("SD1", StrategyOutcome.S47, new Attendance(Police: true, Education: false)))
            .ShouldBe("""{"strategyId":"SD1","outcome":"s47","attendance":{"police":true,"education":false}}""");
        EventJson.CanonicalData(new ContactReceived("K1", ContactRoute.Mash))
            .ShouldBe("""{"contactId":"K1","route":"mash"}""");
    }

    [Theory]
    [InlineData("""{"contactId":"K1","route":"ehap","source":"police","requestForInformation":false}""")]
    [InlineData("""{"requestForInformation":false,"source":"police","route":"ehap","contactId":"K1"}""")]
    [InlineData("{ \"route\" : \"ehap\",\n   \"requestForInformation\": false, \"contactId\": \"K1\", \"source\": \"police\" }")]
    public void The_same_content_in_any_property_order_or_spacing_gives_the_same_canonical_text(string data)
    {
        var json = $$"""{"data": {{data}}, "type": "ContactReceived", "child": "C1", "tenant": "357", "occurredAt": "2022-10-03", "id": "0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01"}""";

        var parsed = EventJson.Parse(json).ValueOrThrow();

        EventJson.CanonicalData(parsed.Data)
            .ShouldBe("""{"contactId":"K1","route":"ehap","source":"police","requestForInformation":false}""");
    }

    [Fact]
    public void Explicit_nulls_and_empty_attendance_read_the_same_as_absent_fields()
    {
        var a = EventJson.ParseData("StrategyDiscussionHeld", """{"strategyId":"SD1","outcome":"nfa","attendance":{}}""").ValueOrThrow();
        var b = EventJson.ParseData("StrategyDiscussionHeld", """{"strategyId":"SD1","outcome":"nfa","attendance":null}""").ValueOrThrow();
        var c = EventJson.ParseData("StrategyDiscussionHeld", """{"outcome":"nfa","strategyId":"SD1"}""").ValueOrThrow();

        EventJson.CanonicalData(a).ShouldBe("""{"strategyId":"SD1","outcome":"nfa"}""");
        EventJson.CanonicalData(b).ShouldBe(EventJson.CanonicalData(a));
        EventJson.CanonicalData(c).ShouldBe(EventJson.CanonicalData(a));
    }

    [Theory]
    [InlineData("""{"assessmentId":"A1"}""", null)]
    [InlineData("""{"assessmentId":"A1","outcome":null}""", null)]
    [InlineData("""{"assessmentId":"A1","outcome":"nfa"}""", AssessmentOutcome.Nfa)]
    public void An_assessment_authorised_may_leave_its_outcome_unknown(string data, AssessmentOutcome? outcome)
    {
        var parsed = EventJson.ParseData("AssessmentAuthorised", data).ValueOrThrow();

        parsed.ShouldBe(new AssessmentAuthorised("A1", outcome));
        EventJson.CanonicalData(parsed).ShouldBe(outcome is null ? """{"assessmentId":"A1"}""" : """{"assessmentId":"A1","outcome":"nfa"}""");
        EventJson.ParseData("AssessmentAuthorised", """{"assessmentId":"A1","outcome":"unknown"}""").Errors
            .ShouldHaveSingleItem().ShouldBe(new FieldError("data.outcome", "'unknown' is not one of services, nfa"));
    }

    [Fact]
    public void Different_content_gives_different_canonical_text()
    {
        EventJson.CanonicalData(new ContactScreened("K1", ScreeningOutcome.Nfa))
            .ShouldNotBe(EventJson.CanonicalData(new ContactScreened("K1", ScreeningOutcome.Referral)));
    }

    [Fact]
    public void Non_ascii_text_is_kept_readable()
    {
        EventJson.CanonicalData(new CaseAllocated("Équipe Nord", "O'Brien"))
            .ShouldBe("""{"team":"Équipe Nord","worker":"O'Brien"}""");
    }
}
