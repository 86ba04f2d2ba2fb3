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
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, 'v', FormVersion);
        Append(hash, 't', tenant);
        Append(hash, 's', stream);
        Append(hash, 'y', e.Type);
        Append(hash, 'd', e.DataJson);
        Append(hash, 'o', Occurred(e.OccurredAt));
        // An inferred recordedAt is derived from the occurrence by the importer, not submitted.
        Append(hash, 'r', e.RecordedAt is { } r && !e.RecordedAtInferred ? InstantText(r) : null);
        Append(hash, 'b', e.RecordedBy);
        Append(hash, 'S', e.SourceSystem);
        Append(hash, 'k', e.SourceKey);
        Append(hash, 'c', e.CorrelationId);
        return hash.GetHashAndReset();
    }

    // Instants at the store's precision, so that a value read back and resubmitted hashes the same.
    private static string Occurred(Occurrence o) =>
        o.Instant is { } i ? "instant:" + InstantText(i) : "date:" + OccurrenceText.FormatDate(o.Date);

    private static string InstantText(NodaTime.Instant i) =>
        NodaTime.Text.InstantPattern.ExtendedIso.Format(NpgsqlTime.TruncateToMicroseconds(i));

    private static void Append(IncrementalHash hash, char tag, string? value)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = (byte)tag;
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(header[1..], -1);
            hash.AppendData(header);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(header[1..], bytes.Length);
        hash.AppendData(header);
        hash.AppendData(bytes);
    }
}
