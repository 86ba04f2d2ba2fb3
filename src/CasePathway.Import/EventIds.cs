using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;

namespace CasePathway.Import;

/// <summary>
/// Name-based event ids (RFC 9562 version 5: SHA-1 over a namespace and a name). The name is the source,
/// tenant, child, type, occurrence and canonical data, so importing the same rows again — or next month's
/// overlapping file — gives the same ids and appends nothing twice, while a corrected value gives a new
/// event instead of an id conflict that would stop the whole import.
/// </summary>
public static class EventIds
{
    private static readonly byte[] Namespace = Guid.Parse("5f1b2c0e-8a3d-4c52-9a67-0d2f8e4b7c19").ToByteArray(bigEndian: true);

    public static Guid For(string sourceSystem, string tenant, string child, Occurrence occurred, IPathwayEventData data) =>
        FromName(string.Join('\u001f', sourceSystem, tenant, child, EventTypes.NameOf(data), occurred.ToString(), EventJson.CanonicalData(data)));

    public static Guid FromName(string name)
    {
        var buffer = NameBuffer();
        Utf8(buffer, name);
        return FromBuffer(buffer);
    }

    /// <summary>
    /// <see cref="FromName"/> of <paramref name="parts"/> and the canonical JSON of <paramref name="data"/> joined by
    /// U+001F, hashed as they are written, without the joined name, the JSON or their UTF-8 copies as strings and
    /// arrays between (each event a night maps hashes one). The same bytes, so the same id: a lone surrogate at a part's
    /// end or start is replaced alone or joined alike (U+001F is no half of a pair), and the JSON's UTF-8 is that of its string.
    /// </summary>
    public static Guid FromName(ReadOnlySpan<string> parts, IPathwayEventData data)
    {
        var buffer = NameBuffer();
        foreach (var part in parts)
        {
            Utf8(buffer, part);
            buffer.GetSpan(1)[0] = 0x1f;
            buffer.Advance(1);
        }
        EventJson.WriteCanonicalData(buffer, data);
        return FromBuffer(buffer);
    }

    // One name buffer per thread, reused from event to event; it starts with the namespace.
    [ThreadStatic] private static ArrayBufferWriter<byte>? _name;

    private static ArrayBufferWriter<byte> NameBuffer()
    {
        var buffer = _name ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        buffer.Write(Namespace);
        return buffer;
    }

    private static void Utf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }

    private static Guid FromBuffer(ArrayBufferWriter<byte> buffer)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(buffer.WrittenSpan, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>An imported event: id from its content, recordedAt left for the mapping to infer.</summary>
    public static PathwayEvent Event(string sourceSystem, string tenant, string child, Occurrence occurred, IPathwayEventData data, string sourceKey) =>
        new(For(sourceSystem, tenant, child, occurred, data), tenant, child, occurred, data, SourceSystem: sourceSystem, SourceKey: sourceKey);
}
