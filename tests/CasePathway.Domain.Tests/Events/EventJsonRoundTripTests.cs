using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Events;

public class EventJsonRoundTripTests
{
    [Fact]
    public void Samples_cover_every_event_type_of_the_catalogue() =>
        EventSamples.Data.Select(EventTypes.NameOf).Order().ShouldBe(EventTypes.Names.Order());

    [Theory]
    [MemberData(nameof(EventSamples.TypeNames), MemberType = typeof(EventSamples))]
    public void Every_event_type_survives_serialize_then_parse(string type)
    {
        var original = EventSamples.Envelope(EventSamples.OfType(type));

        var json = EventJson.Serialize(original);
        var parsed = EventJson.Parse(json);

        parsed.Errors.ShouldBeEmpty();
        parsed.Value.ShouldBe(original);
        EventJson.Serialize(parsed.Value!).ShouldBe(json);
    }

    [Fact]
    public void The_contract_example_parses_to_the_event_it_describes()
    {
        var parsed = EventJson.Parse(EventSamples.ContactJson).ValueOrThrow();

        parsed.Id.ShouldBe(Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01"));
        parsed.Tenant.ShouldBe("357");
        parsed.Child.ShouldBe("C123");
        parsed.OccurredAt.ShouldBe(Occurrence.At(Instant.FromUtc(2022, 10, 3, 8, 15)));
        parsed.RecordedAt.ShouldBe(Instant.FromUtc(2022, 10, 3, 8, 20));
        parsed.RecordedBy.ShouldBe("jsmith");
        parsed.SourceSystem.ShouldBe("lcs");
        parsed.Data.ShouldBe(new ContactReceived("K1", ContactRoute.Mash, "police"));
    }

    [Fact]
    public void Envelope_is_written_in_the_contract_order_with_london_offsets_and_nulls_left_out()
    {
        var e = new PathwayEvent(Guid.Parse("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01"), "357", "C123",
            Occurrence.At(Instant.FromUtc(2022, 10, 3, 8, 15)), new ContactScreened("K1", ScreeningOutcome.EarlyHelp));

        EventJson.Serialize(e).ShouldBe(
            """{"id":"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01","tenant":"357","child":"C123","type":"ContactScreened","occurredAt":"2022-10-03T09:15:00+01:00","data":{"contactId":"K1","outcome":"early-help"}}""");
    }

    [Fact]
    public void A_date_only_occurrence_stays_a_date()
    {
        var json = EventSamples.ContactJson.Replace("2022-10-03T09:15:00+01:00", "2022-10-03").Replace("\"recordedAt\": \"2022-10-03T09:20:00+01:00\",", "");

        var parsed = EventJson.Parse(json).ValueOrThrow();

        parsed.OccurredAt.ShouldBe(Occurrence.On(new LocalDate(2022, 10, 3)));
        parsed.RecordedAt.ShouldBeNull();
        EventJson.Serialize(parsed).ShouldContain("\"occurredAt\":\"2022-10-03\"");
    }

    [Theory]
    [InlineData("mash", ContactRoute.Mash)]
    [InlineData("ehap", ContactRoute.Ehap)]
    [InlineData("unknown", ContactRoute.Unknown)]
    public void Contact_routes_have_their_wire_names(string wire, ContactRoute route)
    {
        WireNames.Of(route).ShouldBe(wire);
        WireNames.TryParse<ContactRoute>(wire, out var back).ShouldBeTrue();
        back.ShouldBe(route);
    }

    [Fact]
    public void Enum_wire_names_are_kebab_case()
    {
        WireNames.All(typeof(ScreeningOutcome)).ShouldBe(["referral", "early-help", "information-advice", "nfa"]);
        WireNames.All(typeof(ReferralOutcome)).ShouldBe(["assessment", "strategy-discussion", "early-help", "nfa"]);
        WireNames.All(typeof(StrategyOutcome)).ShouldBe(["s47", "assessment", "nfa"]);
        WireNames.All(typeof(AssessmentOutcome)).ShouldBe(["services", "nfa"]);
    }

    [Fact]
    public void A_batch_array_gives_its_events_in_order()
    {
        var events = EventSamples.Data.Take(5).Select((d, i) => EventSamples.Envelope(d, i)).ToList();

        var parsed = EventJson.ParseBatch(EventJson.SerializeBatch(events));

        parsed.Errors.ShouldBeEmpty();
        parsed.Value.ShouldBe(events);
    }

    [Fact]
    public void A_single_object_is_a_batch_of_one()
    {
        var parsed = EventJson.ParseBatch(EventSamples.ContactJson);

        parsed.Value!.Count.ShouldBe(1);
    }
}

public class InstantTextTests
{
    [Theory]
    [InlineData(2022, 10, 3, 8, 15, 0, "2022-10-03T09:15:00+01:00")]
    [InlineData(2022, 12, 3, 8, 15, 0, "2022-12-03T08:15:00+00:00")]
    [InlineData(2022, 12, 3, 8, 15, 123, "2022-12-03T08:15:00.123+00:00")]
    public void Instants_are_written_in_london_time_with_a_full_offset(int y, int mo, int d, int h, int mi, int ms, string text)
    {
        var instant = Instant.FromUtc(y, mo, d, h, mi).Plus(Duration.FromMilliseconds(ms));

        OccurrenceText.Format(instant).ShouldBe(text);
        OccurrenceText.ParseInstant(text).ShouldBe(instant);
    }
}
