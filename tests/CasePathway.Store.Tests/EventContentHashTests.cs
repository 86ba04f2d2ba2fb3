using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using CasePathway.Testing;
using CsCheck;
using NodaTime;

namespace CasePathway.Store.Tests;

/// <summary>
/// The content hash is what every stored receipt holds: a resubmission is "the same event" only if it hashes to the
/// same bytes as when it was first stored. <see cref="EventContentHash"/> now writes the canonical JSON straight into a
/// reused buffer and a reused SHA-256 context; it must give, for every event, the hash of the form as first written
/// (<see cref="AsFirstWritten"/>, kept here as the oracle).
/// </summary>
public class EventContentHashTests
{
    private static readonly Gen<(PathwayEvent Event, bool Infer)> Events =
        from events in RandomPathways.Events
        from i in Gen.Int[0, 1000]
        from infer in Gen.Bool
        select (events[i % events.Count], infer);

    [Fact]
    public void Every_event_hashes_to_the_bytes_of_the_form_as_first_written() =>
        Events.Sample(x =>
        {
            var e = x.Event.ToNewEvent(x.Infer);
            Convert.ToHexString(EventContentHash.Compute(x.Event.Tenant, x.Event.Child, e))
                .ShouldBe(Convert.ToHexString(AsFirstWritten(x.Event.Tenant, x.Event.Child, e)));
        }, iter: 2000);

    [Fact]
    public void Text_beyond_ascii_escapes_and_envelope_fields_hash_as_first_written()
    {
        var at = Occurrence.At(Instant.FromUtc(2024, 3, 31, 0, 59, 59) + Duration.FromTicks(1234567));
        NewEvent[] events =
        [
            new(Guid.NewGuid(), new CaseAllocated("Équipe Nord — \"A\" <b>&'", "Zoë 🚸 O'Brien\\n\t"), at, Instant.FromUtc(2024, 4, 1, 9, 0), false,
                "wörker@council", "lcs", "row/1", "corr-ñ"),
            new(Guid.NewGuid(), new BreachReasonRecorded("icpc", "S1", "other", new string('x', 5000) + "漢字"), Occurrence.On(new LocalDate(2023, 12, 25))),
            new(Guid.NewGuid(), new CaseClosed(), Occurrence.On(new LocalDate(1970, 1, 1)), Instant.FromUtc(1970, 1, 1, 0, 0), true),
        ];
        foreach (var e in events)
        {
            EventContentHash.Compute("357", "C-1", e).ShouldBe(AsFirstWritten("357", "C-1", e));
            // Reused buffers: a second time, after a large one, the same.
            EventContentHash.Compute("357", "C-1", e).ShouldBe(AsFirstWritten("357", "C-1", e));
        }
    }

    [Fact]
    public void Hashing_on_many_threads_at_once_gives_each_event_its_own_hash()
    {
        var events = Enumerable.Range(0, 2000).Select(i => new NewEvent(Guid.NewGuid(), new ReferralReceived($"R{i}"), Occurrence.On(new LocalDate(2024, 1, 1).PlusDays(i % 300)))).ToList();
        var expected = events.Select(e => Convert.ToHexString(AsFirstWritten("357", "C", e))).ToList();
        var got = new string[events.Count];
        Parallel.For(0, events.Count, i => got[i] = Convert.ToHexString(EventContentHash.Compute("357", "C", events[i])));
        got.ShouldBe(expected);
    }

    /// <summary>The hash as first written (and as every receipt stored before this change holds it).</summary>
    private static byte[] AsFirstWritten(string tenant, string stream, NewEvent e)
    {
        var data = e.DataJson;
        var form = new ArrayBufferWriter<byte>(256 + data.Length * 3);
        Append(form, 'v', "casepathway-event-v1");
        Append(form, 't', tenant);
        Append(form, 's', stream);
        Append(form, 'y', e.Type);
        Append(form, 'd', data);
        Append(form, 'o', e.OccurredAt.Instant is { } i ? "instant:" + InstantText(i) : "date:" + OccurrenceText.FormatDate(e.OccurredAt.Date));
        Append(form, 'r', e.RecordedAt is { } r && !e.RecordedAtInferred ? InstantText(r) : null);
        Append(form, 'b', e.RecordedBy);
        Append(form, 'S', e.SourceSystem);
        Append(form, 'k', e.SourceKey);
        Append(form, 'c', e.CorrelationId);
        return SHA256.HashData(form.WrittenSpan);

        static string InstantText(Instant i) => NodaTime.Text.InstantPattern.ExtendedIso.Format(StoredPrecision.Truncate(i));

        static void Append(ArrayBufferWriter<byte> form, char tag, string? value)
        {
            var length = value is null ? -1 : Encoding.UTF8.GetByteCount(value);
            var span = form.GetSpan(5 + Math.Max(length, 0));
            span[0] = (byte)tag;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
            if (value is not null) Encoding.UTF8.GetBytes(value, span[5..]);
            form.Advance(5 + Math.Max(length, 0));
        }
    }
}
