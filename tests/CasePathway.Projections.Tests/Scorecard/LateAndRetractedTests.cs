using CasePathway.Domain.Events;
using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using CasePathway.Testing;
using NodaTime;

namespace CasePathway.Projections.Tests.Scorecard;

/// <summary>Figures move when the record changes: a late recording lands in its own month, a retraction takes an item out.</summary>
public class LateAndRetractedTests(ProjectionDatabase db) : IClassFixture<ProjectionDatabase>
{
    [Fact]
    public async Task A_late_recording_and_a_retraction_change_the_month_they_belong_to()
    {
        var tenant = ScorecardWorld.NewTenant();
        var world = new ScorecardWorld(db, tenant, TenantDirectory.Empty);
        world.Add("L1", "2022-10-03T09:00:00+01:00", new ContactReceived("K1", ContactRoute.Mash));
        world.Add("L1", "2022-10-04T09:00:00+01:00", new ContactScreened("K1", ScreeningOutcome.Referral));
        await world.ProjectAsync();
        (await world.MonthAsync(2022, 10))["FD8"]!.ShouldSatisfyAllConditions(
            f => f.Numerator.ShouldBe(1m), f => f.Denominator.ShouldBe(1m));

        // Recorded in December: a contact of 10 October screened late, on 20 October.
        world.Add("L2", "2022-10-10T09:00:00+01:00", new ContactReceived("K2", ContactRoute.Mash), recordedAt: "2022-12-01T10:00:00+00:00");
        var screening = world.Add("L2", "2022-10-20T09:00:00+01:00", new ContactScreened("K2", ScreeningOutcome.Nfa), recordedAt: "2022-12-01T10:00:00+00:00");
        await world.ProjectAsync();
        var october = await world.MonthAsync(2022, 10);
        october["FD1"]!.Value.ShouldBe(2m);
        october["FD8"]!.ShouldSatisfyAllConditions(f => f.Numerator.ShouldBe(1m), f => f.Denominator.ShouldBe(2m), f => f.Value.ShouldBe(50.0m));
        (await world.MonthAsync(2022, 12))["FD1"]!.Value.ShouldBe(0m);

        world.Retract("L2", "2022-12-02T10:00:00+00:00", screening);
        await world.ProjectAsync();
        (await world.MonthAsync(2022, 10))["FD8"]!.ShouldSatisfyAllConditions(
            f => f.Numerator.ShouldBe(1m), f => f.Denominator.ShouldBe(1m), f => f.Value.ShouldBe(100.0m));
    }

    [Fact]
    public async Task A_rebuild_gives_what_live_processing_gave()
    {
        var tenant = ScorecardWorld.NewTenant();
        var world = new ScorecardWorld(db, tenant, TenantDirectory.Empty);
        world.Add("R1", "2023-03-30T09:00:00+01:00", new ReferralReceived("R1"));
        world.Add("R1", "2023-03-31T08:00:00+01:00", new ReferralDecisionMade("R1", ReferralOutcome.Assessment));
        world.Add("R2", "2023-03-31T09:00:00+01:00", new ReferralReceived("R2"));
        await world.ProjectAsync();
        var live = await world.MonthAsync(2023, 3);

        await db.RebuildAsync(IndicatorFactsProjection.ProjectionName);
        var rebuilt = await world.MonthAsync(2023, 3);
        rebuilt["CIN3"]!.ShouldBe(live["CIN3"]);
        rebuilt["CIN3"]!.Value.ShouldBe(100.0m);
        rebuilt["CIN1"]!.Value.ShouldBe(2m);
    }

    [Fact]
    public async Task Missing_tenant_configuration_leaves_values_empty()
    {
        var tenant = ScorecardWorld.NewTenant();
        var world = new ScorecardWorld(db, tenant, TenantDirectory.Empty);
        world.Add("N1", "2024-01-10", new ReferralReceived("R1"));
        await world.ProjectAsync();
        var report = await world.MonthAsync(2024, 1);
        report.TenantName.ShouldBe(tenant);
        report["CIN2"]!.ShouldSatisfyAllConditions(
            f => f.Numerator.ShouldBe(1m), f => f.Denominator.ShouldBeNull(), f => f.Value.ShouldBeNull(), f => f.Target.ShouldBeNull());
        report.Indicators.ShouldAllBe(i => i.Target == null && i.Benchmarks == null);
        // a month with nothing in it: counts are 0, shares are empty (no denominator), never an error
        var empty = await world.MonthAsync(2030, 6);
        empty["FD1"]!.Value.ShouldBe(0m);
        empty["FD8"]!.Value.ShouldBeNull();
    }

    [Fact]
    public async Task Tenants_never_see_each_others_facts()
    {
        var a = new ScorecardWorld(db, ScorecardWorld.NewTenant(), TenantDirectory.Empty);
        var b = new ScorecardWorld(db, ScorecardWorld.NewTenant(), TenantDirectory.Empty);
        a.Add("X1", "2022-06-01", new ContactReceived("K1", ContactRoute.Ehap));
        await a.ProjectAsync();
        (await a.MonthAsync(2022, 6))["FD1"]!.Value.ShouldBe(1m);
        (await b.MonthAsync(2022, 6))["FD1"]!.Value.ShouldBe(0m);
        (await b.Query.ItemsAsync(b.Tenant, "FD1", new YearMonth(2022, 6)))!.ShouldBeEmpty();
    }
}
