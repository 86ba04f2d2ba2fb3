using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Store.Tests;

/// <summary>Small submitted events for store tests; the store keeps the data as the catalogue record it is.</summary>
internal static class SampleEvents
{
    public static readonly Instant Monday = Instant.FromUtc(2022, 10, 3, 8, 15);

    public static NewEvent Contact(string contactId = "K1", Guid? id = null, Instant? occurred = null, Instant? recordedAt = null) =>
        new(id ?? Guid.NewGuid(), new ContactReceived(contactId, ContactRoute.Mash),
            Occurrence.At(occurred ?? Monday), recordedAt);

    public static NewEvent[] Contacts(int count) =>
        Enumerable.Range(1, count).Select(i => Contact("K" + i, occurred: Monday + Duration.FromMinutes(i))).ToArray();

    public static string NewChild() => "C" + Guid.NewGuid().ToString("N")[..10];
}
