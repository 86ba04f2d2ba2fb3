using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Time;

namespace CasePathway.Store;

/// <summary>
/// SHA-256 over a canonical form of what was submitted for an event — never of what the store filled in
/// (a retried event without recordedAt is the same event although the store stamped a receipt time).
/// Each field is written as a tag, a length and its UTF-8 bytes, so no two different submissions share a
/// form. The data JSON is hashed as given: callers pass canonical JSON.
/// </summary>
public static class EventContentHash
{
    private const string FormVersion = "casepathway-event-v1";

    public static byte[] Compute(string tenant, string stream, NewEvent e)
    {
        var data = e.DataJson;
        var form = new ArrayBufferWriter<byte>(256 + data.Length * 3);
        Append(form, 'v', FormVersion);
        Append(form, 't', tenant);
        Append(form, 's', stream);
        Append(form, 'y', e.Type);
        Append(form, 'd', data);
        Append(form, 'o', Occurred(e.OccurredAt));
        // An inferred recordedAt is derived from the occurrence by the importer, not submitted.
        Append(form, 'r', e.RecordedAt is { } r && !e.RecordedAtInferred ? InstantText(r) : null);
        Append(form, 'b', e.RecordedBy);
        Append(form, 'S', e.SourceSystem);
        Append(form, 'k', e.SourceKey);
        Append(form, 'c', e.CorrelationId);
        return SHA256.HashData(form.WrittenSpan);
    }

    // Instants at the store's precision, so that a value read back and resubmitted hashes the same.
    private static string Occurred(Occurrence o) =>
        o.Instant is { } i ? "instant:" + InstantText(i) : "date:" + OccurrenceText.FormatDate(o.Date);

    private static string InstantText(NodaTime.Instant i) =>
        NodaTime.Text.InstantPattern.ExtendedIso.Format(StoredPrecision.Truncate(i));

    private static void Append(ArrayBufferWriter<byte> form, char tag, string? value)
    {
        var length = value is null ? -1 : Encoding.UTF8.GetByteCount(value);
        var span = form.GetSpan(5 + Math.Max(length, 0));
        span[0] = (byte)tag;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        if (value is not null) Encoding.UTF8.GetBytes(value, span[5..]);
        form.Advance(5 + Math.Max(length, 0));
    }
}
