using System.Buffers;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Events;

public class EventBinaryTests
{
    private static PathwayEvent RoundTrip(PathwayEvent e, out int length)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new BinaryFormWriter(buffer);
        w.Int32(42); // what a caller writes before the event stays in its place
        EventBinary.Write(ref w, e);
        w.String("after");
        var r = new BinaryFormReader(buffer.WrittenSpan);
        r.Int32().ShouldBe(42);
        var back = EventBinary.Read(ref r);
        r.String().ShouldBe("after");
        length = buffer.WrittenCount;
        return back;
    }

    [Theory]
    [MemberData(nameof(EventSamples.TypeNames), MemberType = typeof(EventSamples))]
    public void Every_event_type_reads_back_as_the_same_event(string type)
    {
        var original = EventSamples.Envelope(EventSamples.OfType(type));

        var back = RoundTrip(original, out _);

        back.ShouldBe(original);
        EventJson.Serialize(back).ShouldBe(EventJson.Serialize(original));
    }

    [Fact]
    public void Every_envelope_field_and_instant_reads_back_exactly()
    {
        var instant = Instant.FromUtc(2026, 3, 29, 0, 59, 59) + Duration.FromNanoseconds(123_456_789); // the night the clocks go forward
        var e = new PathwayEvent(Guid.NewGuid(), "357", "C-é\u00e9\ud83d\ude00", Occurrence.At(instant),
            new CaseAllocated("Team \ud800 half", null), RecordedAt: instant + Duration.FromDays(1), RecordedBy: "w1",
            SourceSystem: "ssd", SourceKey: "ssd_contacts/K1/contact", CorrelationId: "c1");
        var dateOnly = e with { OccurredAt = Occurrence.On(new LocalDate(1970, 1, 1)), RecordedAt = null, RecordedBy = null, CorrelationId = null };

        RoundTrip(e, out _).ShouldBe(e);
        RoundTrip(dateOnly, out _).ShouldBe(dateOnly);
        RoundTrip(dateOnly, out _).OccurredAt.IsDateOnly.ShouldBeTrue();
    }

    [Fact]
    public void An_attendance_with_nothing_recorded_reads_back_as_none_as_in_the_json()
    {
        var sample = EventSamples.Data.OfType<InitialChildProtectionConferenceHeld>().First();
        var e = EventSamples.Envelope(sample with { Attendance = new Attendance() });

        var back = RoundTrip(e, out _);

        EventJson.Serialize(back).ShouldBe(EventJson.Serialize(e));
        EventJson.Parse(EventJson.Serialize(e)).ValueOrThrow().ShouldBe(back);
    }
}
