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
        var bytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[Namespace.Length + bytes.Length];
        Namespace.CopyTo(input, 0);
        bytes.CopyTo(input, Namespace.Length);
        var hash = SHA1.HashData(input);
        var guid = hash.AsSpan(0, 16).ToArray();
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50); // version 5
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(guid, bigEndian: true);
    }

    /// <summary>An imported event: id from its content, recordedAt left for the mapping to infer.</summary>
    public static PathwayEvent Event(string sourceSystem, string tenant, string child, Occurrence occurred, IPathwayEventData data, string sourceKey) =>
        new(For(sourceSystem, tenant, child, occurred, data), tenant, child, occurred, data, SourceSystem: sourceSystem, SourceKey: sourceKey);
}
