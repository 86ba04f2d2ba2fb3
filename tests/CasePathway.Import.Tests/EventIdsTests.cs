using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Import.Tests;

public class EventIdsTests
{
    private static readonly Occurrence Day = Occurrence.On(new LocalDate(2020, 9, 16));

    [Fact]
    public void Ids_are_version_5_uuids_stable_across_runs()
    {
        var id = EventIds.For("annex-a", "357", "C1", Day, new ReferralReceived("A3-C1-2020-09-16"));

        id.ToString("D")[14].ShouldBe('5');
        "89ab".ShouldContain(id.ToString("D")[19]);
        EventIds.For("annex-a", "357", "C1", Day, new ReferralReceived("A3-C1-2020-09-16")).ShouldBe(id);
    }

    [Fact]
    public void Any_difference_in_source_tenant_child_date_or_content_gives_another_id()
    {
        var data = new ReferralReceived("R1");
        var ids = new[]
        {
            EventIds.For("annex-a", "357", "C1", Day, data),
            EventIds.For("cin-census", "357", "C1", Day, data),
            EventIds.For("annex-a", "358", "C1", Day, data),
            EventIds.For("annex-a", "357", "C2", Day, data),
            EventIds.For("annex-a", "357", "C1", Occurrence.On(new LocalDate(2020, 9, 17)), data),
            EventIds.For("annex-a", "357", "C1", Day, new ReferralReceived("R1", Source: "police")),
            EventIds.For("annex-a", "357", "C1", Day, new ReferralDecisionMade("R1", ReferralOutcome.Nfa)),
        };

        ids.ShouldBeUnique();
    }

    // The name-based id as first defined: SHA-1 over the namespace and the UTF-8 of the joined name, the canonical JSON
    // as a string. Councils have stored these ids, so the hashing without strings between must give the same bytes.
    private static Guid AsFirstDefined(string[] parts, IPathwayEventData data)
    {
        var name = string.Join('\u001f', [.. parts, EventJson.CanonicalData(data)]);
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        var input = Guid.Parse("5f1b2c0e-8a3d-4c52-9a67-0d2f8e4b7c19").ToByteArray(bigEndian: true).Concat(bytes).ToArray();
        var guid = System.Security.Cryptography.SHA1.HashData(input).AsSpan(0, 16).ToArray();
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid, bigEndian: true);
    }

    public static TheoryData<string[], IPathwayEventData> Names() => new()
    {
        { ["ssd", "357", "ssd_cin_assessments", "A1", "start", "C1", "AssessmentStarted", "2026-01-06"], new AssessmentStarted("A1", "R1") },
        { ["ssd", "357", "ssd_contacts", "K1", "contact", "C1", "ContactReceived", "2026-01-05T10:30:00Z"], new ContactReceived("K1", ContactRoute.Unknown, "police") },
        { ["ssd", "357", "ssd_cin_episodes", "R1", "allocation", "C1", "CaseAllocated", "2026-01-05"], new CaseAllocated("Équipe d’accueil 😀 \"quoted\" <b>", "W\u00e91") },
        { ["ssd", "357", "ssd_involvements", "I1", "allocation", "C\ud800", "CaseAllocated", "2026-01-05"], new CaseAllocated(null, "W1\udc00") },
        { ["", "", "x\ud83d", "\ude00y"], new Section47Completed("S1", true) },
        { [], new EventRetracted(Guid.Parse("7d3c0a52-5d0e-4f7e-9d43-3c0f5e7b1a99")) },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Hashing_the_parts_as_written_gives_the_id_of_the_joined_name(string[] parts, IPathwayEventData data)
    {
        EventIds.FromName(parts, data).ShouldBe(AsFirstDefined(parts, data));
        EventIds.FromName(string.Join('\u001f', [.. parts, EventJson.CanonicalData(data)])).ShouldBe(AsFirstDefined(parts, data));
    }

    // Python: uuid.uuid5(UUID("5f1b2c0e-…"), "\x1f".join([…, "{\"assessmentId\":\"A1\",\"referralId\":\"R1\"}"])), an independent reckoning.
    [Fact]
    public void An_ssd_event_id_stays_the_one_councils_stored() =>
        EventIds.FromName(["ssd", "357", "ssd_cin_assessments", "A1", "start", "C1", "AssessmentStarted", "2026-01-06"], new AssessmentStarted("A1", "R1"))
            .ShouldBe(Guid.Parse("2f1b1e17-ff61-5237-bba4-56d5c3e324ac"));
}
