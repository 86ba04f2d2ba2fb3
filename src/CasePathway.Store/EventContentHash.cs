using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;

namespace CasePathway.Store;

/// <summary>
/// SHA-256 over a canonical form of what was submitted for an event — never of what the store filled in
/// (a retried event without recordedAt is the same event although the store stamped a receipt time).
/// Each field is written as a tag, a length and its UTF-8 bytes, so no two different submissions share a
/// form. The data is hashed as its canonical JSON (EventJson.CanonicalData), byte for byte.
/// </summary>
public static class EventContentHash
{
    private const string FormVersion = "casepathway-event-v1";

    // One form buffer, data buffer and SHA-256 context per thread, reused from event to event: an import hashes
    // every event it appends, and a fresh buffer, string and hash context each time were most of the hash's cost.
    [ThreadStatic] private static ArrayBufferWriter<byte>? _form;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _data;
    [ThreadStatic] private static IncrementalHash? _sha256;

    public static byte[] Compute(string tenant, string stream, NewEvent e)
    {
        var form = _form ??= new ArrayBufferWriter<byte>(1024);
        var data = _data ??= new ArrayBufferWriter<byte>(512);
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        form.ResetWrittenCount();
        data.ResetWrittenCount();
        Append(form, 'v', FormVersion);
        Append(form, 't', tenant);
        Append(form, 's', stream);
        Append(form, 'y', e.Type);
        // The canonical JSON's UTF-8 bytes as written, which are the bytes of its string (EventJson.CanonicalData).
        EventJson.WriteCanonicalData(data, e.Data);
        Append(form, 'd', data.WrittenSpan);
        Append(form, 'o', Occurred(e.OccurredAt));
        // An inferred recordedAt is derived from the occurrence by the importer, not submitted.
        Append(form, 'r', e.RecordedAt is { } r && !e.RecordedAtInferred ? InstantText(r) : null);
        Append(form, 'b', e.RecordedBy);
        Append(form, 'S', e.SourceSystem);
        Append(form, 'k', e.SourceKey);
        Append(form, 'c', e.CorrelationId);
        sha256.AppendData(form.WrittenSpan);
        var hash = sha256.GetHashAndReset();
        // Large data once in a while must not pin a large buffer to the thread.
        if (form.Capacity > 64 * 1024) _form = null;
        if (data.Capacity > 64 * 1024) _data = null;
        return hash;
    }

    // Instants at the store's precision, so that a value read back and resubmitted hashes the same.
    private static string Occurred(Occurrence o) =>
        o.Instant is { } i ? "instant:" + InstantText(i) : "date:" + OccurrenceText.FormatDate(o.Date);

    private static string InstantText(NodaTime.Instant i) =>
        NodaTime.Text.InstantPattern.ExtendedIso.Format(StoredPrecision.Truncate(i));

    private static void Append(ArrayBufferWriter<byte> form, char tag, ReadOnlySpan<byte> utf8)
    {
        var span = form.GetSpan(5 + utf8.Length);
        span[0] = (byte)tag;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], utf8.Length);
        utf8.CopyTo(span[5..]);
        form.Advance(5 + utf8.Length);
    }

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
