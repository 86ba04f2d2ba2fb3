using CasePathway.Domain.Events;

namespace CasePathway.Domain.Tests.Events;

public class EventJsonValidationTests
{
    private const string Id = "0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01";

    private static string Envelope(string type = "ContactScreened", string data = """{"contactId":"K1","outcome":"nfa"}""",
        string id = $"\"{Id}\"", string tenant = "\"357\"", string child = "\"C1\"", string occurredAt = "\"2022-10-03\"", string extra = "") =>
        $$"""{"id":{{id}},"tenant":{{tenant}},"child":{{child}},"type":"{{type}}","occurredAt":{{occurredAt}}{{extra}},"data":{{data}}}""";

    private static IReadOnlyList<string> ErrorsOf(string json)
    {
        var result = EventJson.Parse(json);
        result.IsValid.ShouldBeFalse();
        result.Value.ShouldBeNull();
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void A_valid_envelope_has_no_errors() => EventJson.Parse(Envelope()).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("null", "id: is required")]
    [InlineData("\"not-a-uuid\"", "id: 'not-a-uuid' is not a UUID (like 0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01)")]
    [InlineData("42", "id: must be a string, not a number")]
    [InlineData("\"0b9c3a525d0e4f7e9d433c0f5e7b1a01\"", "id: '0b9c3a525d0e4f7e9d433c0f5e7b1a01' is not a UUID (like 0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01)")]
    public void Id_must_be_a_uuid(string id, string error) => ErrorsOf(Envelope(id: id)).ShouldBe([error]);

    [Fact]
    public void Missing_id_is_named() =>
        ErrorsOf("""{"tenant":"357","child":"C1","type":"CaseClosed","occurredAt":"2022-10-03","data":{}}""").ShouldBe(["id: is required"]);

    [Theory]
    [InlineData("\"\"", "must not be blank")]
    [InlineData("\"   \"", "must not be blank")]
    [InlineData("null", "is required")]
    [InlineData("true", "must be a string, not a boolean")]
    public void Tenant_and_child_must_be_present_and_not_blank(string value, string problem)
    {
        ErrorsOf(Envelope(tenant: value)).ShouldBe([$"tenant: {problem}"]);
        ErrorsOf(Envelope(child: value)).ShouldBe([$"child: {problem}"]);
    }

    [Fact]
    public void An_unknown_type_says_so_and_nothing_about_its_data() =>
        ErrorsOf(Envelope(type: "ContactRecieved", data: """{"whatever": 1}""")).ShouldBe(["type: 'ContactRecieved' is not a known event type"]);

    [Theory]
    [InlineData("\"2022-02-30\"")]
    [InlineData("\"03/10/2022\"")]
    [InlineData("\"2022-10-03T09:15:00\"")]
    public void OccurredAt_must_be_a_real_date_or_an_instant_with_offset(string occurredAt) =>
        ErrorsOf(Envelope(occurredAt: occurredAt)).ShouldBe(
            [$"occurredAt: {occurredAt} is not a date (2022-10-03) or an instant with offset (2022-10-03T09:15:00+01:00)".Replace("\"", "'")]);

    [Fact]
    public void OccurredAt_is_required() =>
        ErrorsOf("""{"id":"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01","tenant":"357","child":"C1","type":"CaseClosed","data":{}}""")
            .ShouldBe(["occurredAt: is required"]);

    [Fact]
    public void An_instant_in_utc_is_accepted() =>
        EventJson.Parse(Envelope(occurredAt: "\"2022-10-03T08:15:00Z\"")).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("2022-10-03", "recordedAt: '2022-10-03' is not an instant with offset (2022-10-03T09:20:00+01:00)")]
    [InlineData("2022-10-03T09:20:00", "recordedAt: '2022-10-03T09:20:00' is not an instant with offset (2022-10-03T09:20:00+01:00)")]
    [InlineData("2022-10-02T23:00:00+01:00", "recordedAt: is before occurredAt (2022-10-03): nothing is recorded before it happens")]
    public void RecordedAt_must_be_an_instant_not_before_the_occurrence(string recordedAt, string error) =>
        ErrorsOf(Envelope(extra: $",\"recordedAt\":\"{recordedAt}\"")).ShouldBe([error]);

    [Theory]
    [InlineData("""{"outcome":"nfa"}""", "data.contactId: is required")]
    [InlineData("""{"contactId":"","outcome":"nfa"}""", "data.contactId: must not be blank")]
    [InlineData("""{"contactId":17,"outcome":"nfa"}""", "data.contactId: must be a string, not a number")]
    [InlineData("""{"contactId":"K1","outcome":"maybe"}""", "data.outcome: 'maybe' is not one of referral, early-help, information-advice, nfa")]
    [InlineData("""{"contactId":"K1","outcome":"EarlyHelp"}""", "data.outcome: 'EarlyHelp' is not one of referral, early-help, information-advice, nfa")]
    [InlineData("""{"contactId":"K1","outcome":"nfa","colour":"red"}""", "data.colour: is not a field of ContactScreened")]
    [InlineData("""[1]""", "data: must be an object, not an array")]
    [InlineData("""null""", "data: is required")]
    public void Data_fields_are_checked_against_the_type(string data, string error) =>
        ErrorsOf(Envelope(data: data)).ShouldBe([error]);

    [Theory]
    [InlineData("Section47Completed", """{"s47Id":"S1","icpcRequired":"yes"}""", "data.icpcRequired: must be true or false, not a string")]
    [InlineData("StrategyDiscussionHeld", """{"strategyId":"SD1","outcome":"s47","attendance":{"police":"y","social":true}}""",
        "data.attendance.social: is not one of police, health, education|data.attendance.police: must be true or false, not a string")]
    [InlineData("EventRetracted", """{"retractedId":"nope"}""", "data.retractedId: 'nope' is not a UUID")]
    [InlineData("ChildSeen", """{}""", "data: ChildSeen needs at least one of referralId, s47Id, assessmentId")]
    [InlineData("CaseAllocated", """{}""", "data: CaseAllocated needs at least one of team, worker")]
    public void Data_kinds_are_checked(string type, string data, string errors) =>
        ErrorsOf(Envelope(type: type, data: data)).ShouldBe(errors.Split('|'));

    [Fact]
    public void Every_problem_is_listed_each_naming_its_field()
    {
        var json = """
            {"id":"x","tenant":"","type":"AssessmentAuthorised","occurredAt":"yesterday","recordedAt":"soon",
             "sourceKey":5,"colour":"red","data":{"outcome":"maybe"}}
            """;

        ErrorsOf(json).ShouldBe(
        [
            "colour: is not a field of the event envelope",
            "id: 'x' is not a UUID (like 0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01)",
            "tenant: must not be blank",
            "child: is required",
            "occurredAt: 'yesterday' is not a date (2022-10-03) or an instant with offset (2022-10-03T09:15:00+01:00)",
            "recordedAt: 'soon' is not an instant with offset (2022-10-03T09:20:00+01:00)",
            "sourceKey: must be a string, not a number",
            "data.assessmentId: is required",
            "data.outcome: 'maybe' is not one of services, nfa",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_field_given_twice_is_an_error() =>
        ErrorsOf(Envelope(extra: ",\"child\":\"C2\"")).ShouldBe(["child: is given more than once"]);

    [Fact]
    public void A_field_with_no_name_given_twice_is_named_as_the_unknown_field_is() =>
        // found by the codec's fuzz test: the error named no field at all
        ErrorsOf(Envelope(extra: ",\"\":1,\"\":2")).ShouldContain("\"\": is given more than once");

    [Theory]
    [InlineData("{\"id\": \"x\",\n  \"tenant\": 357 oops}", "$: malformed JSON at line 2, position 17: ")]
    [InlineData("", "$: malformed JSON at line 1, position 1: ")]
    [InlineData("{\"id\":\"x\",}", "$: malformed JSON at line 1, position 11: ")]
    public void Malformed_json_gives_line_and_position(string json, string start)
    {
        var errors = ErrorsOf(json);
        errors.Count.ShouldBe(1);
        errors[0].ShouldStartWith(start);
    }

    [Fact]
    public void Not_an_object_is_an_error() => ErrorsOf("[1,2]").ShouldBe(["$: must be a JSON object, not an array"]);

    [Fact]
    public void A_batch_names_every_bad_event_by_index_and_returns_none()
    {
        var good = Envelope();
        var batch = $$"""[{{good}}, {{Envelope(data: """{"outcome":"nfa"}""")}}, {{good}}, {{Envelope(id: "\"nope\"", type: "Nope")}}, 7]""";

        var result = EventJson.ParseBatch(batch);

        result.Value.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "[1].data.contactId: is required",
            "[3].id: 'nope' is not a UUID (like 0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01)",
            "[3].type: 'Nope' is not a known event type",
            "[4]: must be a JSON object, not a number",
        ]);
    }

    [Fact]
    public void An_empty_batch_is_an_error() => EventJson.ParseBatch("[]").Errors.ShouldBe([new FieldError("$", "the batch is empty")]);

    [Fact]
    public void ParseData_rejects_an_unknown_type_and_bad_data()
    {
        EventJson.ParseData("Nope", "{}").Errors.ShouldBe([new FieldError("type", "'Nope' is not a known event type")]);
        EventJson.ParseData("CoreGroupHeld", "{}").Errors.ShouldBe([new FieldError("data.planId", "is required")]);
        Should.Throw<InvalidEventException>(() => EventJson.ParseData("CoreGroupHeld", "{").ValueOrThrow());
    }
}
