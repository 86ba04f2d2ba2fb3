using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Scorecard;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests.Scorecard;

/// <summary>The hours CIN3 and CIN23 measure (the drill-down's value) are counted and rounded as a clock's elapsed hours.</summary>
public class MeasuredHoursTests
{
    [Theory]
    [InlineData("2023-03-01T09:00", "2023-03-01T19:00:18", 10.01)] // 10.005 hours: half away from zero, not to even
    [InlineData("2023-03-01T09:00", "2023-03-04T08:58:48", 71.98)]
    [InlineData("2023-03-01T15:00", "2023-03-01", 0)] // a date-only completion on the return's date: 0, never negative
    public void Return_interview_hours(string returned, string completed, double hours)
    {
        var facts = IndicatorFacts.Of([E("T", "C1", returned, new ChildReturned("M1")), E("T", "C1", completed, new ReturnInterviewCompleted("M1"))],
            WorkingCalendar.EnglandAndWales());

        facts.Single(f => f.Indicator == "CIN23").Value.ShouldBe((decimal)hours);
    }

    [Theory]
    [InlineData("2023-03-01T09:00", "2023-03-01T19:00:18", 10.01)]
    [InlineData("2023-03-01T15:00", "2023-03-01", 0)]
    public void Referral_decision_hours(string received, string decided, double hours)
    {
        var facts = IndicatorFacts.Of([E("T", "C1", received, new ReferralReceived("R1")), E("T", "C1", decided, new ReferralDecisionMade("R1", ReferralOutcome.Nfa))],
            WorkingCalendar.EnglandAndWales());

        facts.Single(f => f.Indicator == "CIN3").Value.ShouldBe((decimal)hours);
    }
}
