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
}
