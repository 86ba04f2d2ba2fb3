using System.Text.Json.Nodes;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Tests.Events;

/// <summary>Each limit at the door, through the codec: the envelope is refused naming the field, and the limit itself passes.</summary>
public class DoorLimitsTests
{
    private static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2024-03-14T10:00:00Z").Value;

    public static JsonObject Envelope() => new()
    {
        ["id"] = "0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01",
        ["tenant"] = "357",
        ["child"] = "C123",
        ["type"] = "ReferralReceived",
        ["occurredAt"] = "2024-03-11T09:15:00Z",
        ["recordedAt"] = "2024-03-14T10:05:00Z",
        ["recordedBy"] = "jsmith",
        ["sourceSystem"] = "lcs",
        ["sourceKey"] = "REF/1",
        ["correlationId"] = "corr-1",
        ["data"] = new JsonObject { ["referralId"] = "R1", ["contactId"] = "K1", ["source"] = "police" },
    };

    /// <summary>
    /// The envelope with one field (a path such as <c>data.source</c>) set to a value, escaped by hand: a JSON
    /// writer refuses to write a lone surrogate, which a client can still send as <c>\ud800</c>.
    /// </summary>
    public static string With(string path, string value)
    {
        var envelope = Envelope();
        var parts = path.Split('.');
        var target = parts.Length == 2 ? (JsonObject)envelope[parts[0]]! : envelope;
        target[parts[^1]] = "__VALUE__";
        return envelope.ToJsonString().Replace("\"__VALUE__\"", Quoted(value));
    }

    public static string Quoted(string value) =>
        "\"" + string.Concat(value.Select(c => c is < ' ' or '"' or '\\' or > '~' ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";

    private static IReadOnlyList<FieldError> Errors(string json, Instant? now = null) => EventJson.Parse(json, now).Errors;

    [Fact]
    public void The_envelope_used_here_is_accepted() => Errors(Envelope().ToJsonString(), Now).ShouldBeEmpty();

    public static TheoryData<string, string, string> Refused => new()
    {
        { "tenant", new string('7', 65), "at most 64" },
        { "tenant", "35/7", "'/' at position 3" },
        { "tenant", "35\\7", "'\\' at position 3" },
        { "tenant", "357?x=1", "'?' at position 4" },
        { "tenant", "357#x", "'#' at position 4" },
        { "tenant", "357%00", "'%' at position 4" },
        { "tenant", "35 7", "a space at position 3" },
        { "tenant", ".", "must not be '.'" },
        { "child", "..", "must not be '..'" },
        { "child", new string('C', 65), "at most 64" },
        { "child", "C\u00001", "NUL" },
        { "child", "C\u00e91", "'é' (U+00E9)" },
        { "child", "C\u200B1", "U+200B" },
        { "recordedBy", new string('j', 201), "at most 200" },
        { "sourceSystem", "lcs\u001b[31m", "control character (U+001B)" },
        { "sourceKey", "REF\n1", "control character (U+000A)" },
        { "correlationId", "c\u2028", "U+2028" },
        { "data.referralId", new string('R', 201), "at most 200" },
        { "data.contactId", "K\t1", "control character (U+0009)" },
        { "data.source", new string('p', 1001), "at most 1000" },
        { "data.source", "police\uFFFF", "U+FFFF" },
        { "id", "00000000-0000-0000-0000-000000000000", "nil UUID" },
        { "occurredAt", "0001-01-01", "before 1970-01-01" },
        { "occurredAt", "1900-01-01T00:00:00Z", "before 1970-01-01" },
        { "occurredAt", "1969-12-31", "before 1970-01-01" },
        { "occurredAt", "2100-01-01", "after 2099-12-31" },
        { "occurredAt", "9999-12-31T23:59:59Z", "after 2099-12-31" },
        { "occurredAt", "9999-12-31T23:59:59-18:00", "is not a date" },
        { "occurredAt", "0001-01-01T00:00:00+18:00", "before 1970-01-01" },
        { "occurredAt", "2024-03-14T10:05:01Z", "in the future" },
        { "occurredAt", "2024-03-15", "in the future" },
        { "recordedAt", "1969-12-31T12:00:00Z", "before 1970-01-01" },
        { "recordedAt", "2024-03-14T10:05:01Z", "in the future" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_limit_is_refused_naming_its_field(string field, string value, string says)
    {
        var errors = Errors(With(field, value), Now);
        var error = errors.ShouldHaveSingleItem(string.Join("; ", errors));
        error.Field.ShouldBe(field);
        error.Message.ShouldContain(says);
    }

    public static TheoryData<string, string> AtTheLimit => new()
    {
        { "tenant", new string('7', 64) },
        { "child", "Aa0-_.~" + new string('C', 57) },
        { "child", ".C" },
        { "recordedBy", new string('j', 200) },
        { "data.referralId", new string('R', 200) },
        { "data.source", new string('p', 1000) },
        { "data.source", "Polícia – 😀 (ok)" },
        { "occurredAt", "1970-01-01" },
        { "occurredAt", "1970-01-01T00:00:00Z" },
        { "occurredAt", "1969-12-31T23:30:00Z" }, // 00:30 on 1 January in London, on British Standard Time (UTC+1) all year
        { "occurredAt", "2024-03-14T10:05:00Z" },
        { "occurredAt", "2024-03-14" },
        { "recordedAt", "2024-03-14T10:05:00Z" },
    };

    [Theory]
    [MemberData(nameof(AtTheLimit))]
    public void The_limit_itself_is_accepted(string field, string value) => Errors(With(field, value), Now).ShouldBeEmpty();

    [Fact]
    public void Without_now_the_future_is_only_bounded_by_the_latest_date()
    {
        var envelope = Envelope();
        envelope.Remove("recordedAt");
        envelope["occurredAt"] = "2099-12-31";
        Errors(envelope.ToJsonString(), now: null).ShouldBeEmpty();
        Errors(envelope.ToJsonString(), Now).ShouldHaveSingleItem().Field.ShouldBe("occurredAt");
    }

    [Theory]
    [InlineData("data.source")]
    [InlineData("tenant")]
    [InlineData("recordedBy")]
    public void An_escaped_lone_surrogate_is_refused_naming_the_field(string field)
    {
        // written as the escape a client sends: theory data cannot carry a lone surrogate itself
        var json = With(field, "__LONE__").Replace("__LONE__", "x\\ud800");
        Errors(json).ShouldBe([new FieldError(field, "holds an escaped half of a surrogate pair: it is not valid Unicode text")]);
    }

    [Fact]
    public void The_accepted_dates_leave_every_deadline_inside_the_working_calendar()
    {
        // the calendar refuses years outside these; the door must keep a long deadline's count inside them
        DoorLimits.EarliestDate.Year.ShouldBeGreaterThan(BankHolidays.FirstSupportedYear);
        var calendar = WorkingCalendar.EnglandAndWales();
        calendar.AddWorkingDays(DoorLimits.LatestDate, 10 * 260).Year.ShouldBeLessThanOrEqualTo(BankHolidays.LastSupportedYear);
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_a_property_name_is_a_field_error_not_an_exception()
    {
        var errors = Errors("""{"id\ud800":"x"}""");
        errors.ShouldContain(e => e.Field == "$" && e.Message.Contains("surrogate"));
    }

    [Fact]
    public void A_lone_surrogate_in_the_text_itself_is_a_field_error_not_an_exception() =>
        Errors("{\"id\":\"\ud800\"}").ShouldBe([new FieldError("$", "the text is not valid Unicode (it holds half of a surrogate pair)")]);

    [Theory]
    [InlineData("type")]
    [InlineData("id")]
    [InlineData("occurredAt")]
    [InlineData("data.referralId")]
    public void A_rejection_quotes_at_most_a_short_part_of_a_long_value(string field)
    {
        var value = new string('x', 100_000);
        var errors = Errors(With(field, value));
        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.Message.Length < 300 && e.Field.Length < 100);
    }

    [Fact]
    public void An_unknown_field_with_a_huge_name_is_named_shortly()
    {
        var envelope = Envelope();
        envelope[new string('z', 10_000) + "\u0007"] = 1;
        var error = Errors(envelope.ToJsonString()).ShouldHaveSingleItem();
        error.Field.Length.ShouldBeLessThan(50);
        error.Field.ShouldNotContain("\u0007");
    }

    [Fact]
    public void Stored_data_still_reads_when_it_breaks_a_limit_added_later()
    {
        // one old event must not stop every projection that folds it
        EventJson.ParseData("ReferralReceived", $$"""{"referralId":"R1","source":"{{new string('p', 5000)}}"}""").IsValid.ShouldBeTrue();
        EventJson.ParseData("EventRetracted", """{"retractedId":"00000000-0000-0000-0000-000000000000"}""").IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Check_finds_in_a_built_event_what_the_codec_finds_in_its_json()
    {
        var e = new PathwayEvent(Guid.Empty, "3/5", new string('C', 65), Occurrence.On(new LocalDate(1900, 1, 1)),
            new CaseAllocated("Team\0", new string('w', 1001)), SourceKey: new string('k', 201));
        DoorLimits.Check(e).Select(x => x.Field).ShouldBe(["id", "tenant", "child", "occurredAt", "sourceKey", "data.team", "data.worker"]);
        EventJson.Parse(EventJson.Serialize(e)).Errors.Select(x => x.Field).ShouldBe(["id", "tenant", "child", "occurredAt", "sourceKey", "data.team", "data.worker"], ignoreOrder: true);
    }
}

/// <summary>London local times typed without an offset: the spring gap is refused, the autumn overlap takes the earlier.</summary>
public class LondonLocalTimeTests
{
    private static LocalDateTime Local(string text) => OccurrenceText.ParseLocalDateTime(text)!.Value;

    [Theory]
    [InlineData("2024-03-31T01:00")]
    [InlineData("2024-03-31T01:30")]
    [InlineData("2024-03-31T01:59")]
    public void A_time_in_the_spring_gap_does_not_exist_and_says_so(string text)
    {
        London.TryInstantOf(Local(text), out _, out var problem).ShouldBeFalse();
        problem.ShouldStartWith($"{text} does not exist in London: the clocks went forward from 01:00 to 02:00 that night");
    }

    [Fact]
    public void The_gap_message_offers_the_same_moment_with_an_offset()
    {
        London.TryInstantOf(Local("2024-03-31T01:30"), out _, out var problem);
        problem.ShouldEndWith("(2024-03-31T02:30:00+01:00 is 2024-03-31T01:30+00:00)");
    }

    [Theory]
    [InlineData("2024-03-31T00:59", "2024-03-31T00:59:00Z")]
    [InlineData("2024-03-31T02:00", "2024-03-31T01:00:00Z")]
    [InlineData("2024-10-27T01:30", "2024-10-27T00:30:00Z")] // the overlap: the earlier of the two 01:30s
    public void Other_times_are_read_as_London_time(string text, string utc)
    {
        London.TryInstantOf(Local(text), out var instant, out var problem).ShouldBeTrue();
        problem.ShouldBeNull();
        instant.ShouldBe(InstantPattern.ExtendedIso.Parse(utc).Value);
    }

    [Fact]
    public void An_instant_beyond_what_can_be_held_is_not_an_instant() => OccurrenceText.ParseInstant("9999-12-31T23:59:59-18:00").ShouldBeNull();
}
