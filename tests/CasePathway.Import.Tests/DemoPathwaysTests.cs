using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Import.Demo;
using NodaTime;

namespace CasePathway.Import.Tests;

public class DemoPathwaysTests
{
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 15, 12, 0);

    [Fact]
    public void Child_in_need_plans_follow_assessments_finding_need_with_reviews_met_and_late()
    {
        var events = DemoPathways.Generate("demo", Now);
        var pathways = events.GroupBy(e => e.Child).ToList();

        var plans = events.Where(e => e.Data is ChildInNeedPlanStarted).ToList();
        plans.Count.ShouldBeGreaterThan(10);
        events.ShouldContain(e => e.Data is ChildInNeedPlanEnded);
        foreach (var plan in plans)
            events.Any(e => e.Child == plan.Child && e.Data is AssessmentAuthorised { Outcome: AssessmentOutcome.Services }
                            && !plan.OccurredAt.IsBefore(e.OccurredAt)).ShouldBeTrue(plan.Child);

        var reviews = pathways
            .SelectMany(p => ClockFold.Fold(p, Rulebook.Default, WorkingCalendar.EnglandAndWales(), Now).Clocks)
            .Where(c => c.Rule == "cin-review").ToList();
        reviews.ShouldContain(c => c.Status == ClockStatus.Met && c.Episode.EndsWith("#2"));
        reviews.ShouldContain(c => c.Status == ClockStatus.Late);
        reviews.ShouldContain(c => c.Status == ClockStatus.Cancelled);
        reviews.Count(c => c.Status == ClockStatus.Met).ShouldBeGreaterThan(reviews.Count(c => c.Status == ClockStatus.Late));
    }
}
