using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Tests.Shared;
using CsCheck;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Tests.Events;

/// <summary>
/// Property-based fuzzing of the event codec: whatever text arrives, it answers with the event or with field
/// errors, never an exception, and what it accepts is inside the door's limits. <c>CASEPATHWAY_FUZZ_ITER</c>
/// runs more cases.
/// </summary>
public class CodecFuzzTests
{
    private static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2024-03-14T10:00:00Z").Value;

    private static readonly string[] ValidLines = EventSamples.Data
        .Select((d, i) => EventJson.Serialize(new PathwayEvent(new Guid(i + 1, 0, 0, new byte[8]), "357", "C1", Occurrence.On(new LocalDate(2024, 3, 11)), d,
            RecordedBy: "jsmith", SourceSystem: "lcs", SourceKey: "K/1", CorrelationId: "c1")))
        .Append(DoorLimitsTests.Envelope().ToJsonString())
        .ToArray();

    /// <summary>The codec's contract with any input: a value or errors, and an accepted event is inside the limits and round-trips.</summary>
    private static void ShouldBeAnsweredProperly(string text)
    {
        var parsed = EventJson.ParseBatch(text, Now);
        if (!parsed.IsValid)
        {
            parsed.Value.ShouldBeNull();
            // plain checks: Shouldly's expression assertions compile on every call, too slow for thousands of cases
            foreach (var e in parsed.Errors)
                if (e.Field.Length == 0 || e.Message.Length == 0) throw new ShouldAssertException($"an error without a field or message: {e}");
            return;
        }
        foreach (var e in parsed.Value!)
        {
            DoorLimits.Check(e, Now).ShouldBeEmpty();
            EventJson.Parse(EventJson.Serialize(e), Now).Value.ShouldBe(e);
        }
    }

    [Fact]
    public void Random_text_gets_an_answer_never_an_exception() =>
        Fuzz.Text.Sample(ShouldBeAnsweredProperly, iter: Fuzz.Iterations(2000), seed: Fuzz.Seed);

    [Fact]
    public void Mutated_envelopes_get_an_answer_never_an_exception() =>
        Gen.Int[0, ValidLines.Length - 1].SelectMany(i => Fuzz.Mutated(ValidLines[i]))
            .Sample(ShouldBeAnsweredProperly, iter: Fuzz.Iterations(3000), seed: Fuzz.Seed);

    [Fact]
    public void Mutated_batches_get_an_answer_never_an_exception() =>
        Fuzz.Mutated("[" + string.Join(",", ValidLines.Take(4)) + "]")
            .Sample(ShouldBeAnsweredProperly, iter: Fuzz.Iterations(1000), seed: Fuzz.Seed);

    private static readonly string[] Fields =
        ["id", "tenant", "child", "type", "occurredAt", "recordedAt", "recordedBy", "sourceSystem", "sourceKey", "correlationId", "data.referralId", "data.contactId", "data.source"];

    [Fact]
    public void Any_value_in_any_field_gets_an_answer_and_problems_name_that_field()
    {
        Gen.Select(Gen.Int[0, Fields.Length - 1], Fuzz.Text).Sample((i, value) =>
        {
            var text = DoorLimitsTests.With(Fields[i], value);
            ShouldBeAnsweredProperly(text);
            // a later occurredAt can make the recording come before it: that is recordedAt's problem
            foreach (var e in EventJson.Parse(text, Now).Errors)
                if (e.Field != Fields[i] && !(Fields[i] == "occurredAt" && e.Field == "recordedAt"))
                    throw new ShouldAssertException($"setting {Fields[i]} gave a problem under {e}");
        }, iter: Fuzz.Iterations(3000), seed: Fuzz.Seed);
    }

    /// <summary>Printable-or-not text without surrogates: a JSON writer turns a lone surrogate into U+FFFD, so it cannot survive the round trip.</summary>
    private static readonly Gen<string> NoSurrogates = Fuzz.Text.Select(s => new string(s.Select(c => char.IsSurrogate(c) ? 'x' : c).ToArray()));

    [Fact]
    public void Check_of_a_built_event_and_the_codec_of_its_json_refuse_the_same_fields()
    {
        // importers build events and call Check; the API reads JSON: the two must be one door
        Gen.Select(NoSurrogates, NoSurrogates, NoSurrogates, NoSurrogates, NoSurrogates, Gen.Int[1965, 2105], Gen.Bool).Sample(
            (tenant, child, key, team, text, year, nil) =>
            {
                var e = new PathwayEvent(nil ? Guid.Empty : Guid.NewGuid(), tenant, child, Occurrence.On(new LocalDate(year, 6, 1)),
                    new CaseAllocated("t" + team, "w" + text), RecordedBy: key, SourceKey: key);
                var built = DoorLimits.Check(e).Select(x => x.Field).Distinct().Order();
                var read = EventJson.Parse(EventJson.Serialize(e)).Errors.Select(x => x.Field).Distinct().Order();
                read.ShouldBe(built);
            }, iter: Fuzz.Iterations(2000), seed: Fuzz.Seed);
    }
}
