using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// Every rule that can be cancelled, with its start, stop and cancel, and a tenant override that counts it in
/// each unit family (working days, working hours, elapsed hours, months), so one case table covers every family.
/// </summary>
internal static class RuleFamilies
{
    public sealed record Cancellable(IPathwayEventData Start, IPathwayEventData Stop, IPathwayEventData Cancel, string Episode, IPathwayEventData? Link = null);

    public static readonly IReadOnlyDictionary<string, Cancellable> Rules = new Dictionary<string, Cancellable>
    {
        // The assessment rule's stop names the assessment; AssessmentStarted links it to the referral.
        ["assessment"] = new(new ReferralReceived("R1"), new AssessmentAuthorised("A1", AssessmentOutcome.Services), new CaseClosed("R1"), "R1", new AssessmentStarted("A1", "R1")),
        ["icpc"] = new(new Section47Started("S1"), new InitialChildProtectionConferenceHeld("S1"), new Section47Completed("S1", IcpcRequired: false), "S1"),
        ["core-group"] = new(new InitialChildProtectionConferenceHeld("S1", "P1"), new CoreGroupHeld("P1"), new ChildProtectionPlanEnded("P1"), "P1"),
        ["cp-review"] = new(new InitialChildProtectionConferenceHeld("S1", "P1"), new ChildProtectionReviewHeld("P1"), new ChildProtectionPlanEnded("P1"), "P1#1"),
        ["cin-review"] = new(new ChildInNeedPlanStarted("CP1"), new ChildInNeedReviewHeld("CP1"), new ChildInNeedPlanEnded("CP1"), "CP1#1"),
        ["cla-review"] = new(new BecameLookedAfter("LA1"), new LookedAfterReviewHeld("LA1"), new CeasedLookedAfter("LA1"), "LA1#1"),
        ["return-interview"] = new(new ChildReturned("M1"), new ReturnInterviewCompleted("M1"), new ReturnInterviewDeclined("M1"), "M1"),
    };

    public static readonly string[] ReviewChains = ["cp-review", "cin-review", "cla-review"];

    /// <summary>The four families, each as a limit a tenant may set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Units = new Dictionary<string, string>
    {
        ["working-days"] = """{"amount": 15, "unit": "working-days"}""",
        ["working-hours"] = """{"amount": 72, "unit": "working-hours"}""",
        ["elapsed-hours"] = """{"amount": 72, "unit": "elapsed-hours"}""",
        ["calendar-months"] = """{"amount": 3, "unit": "calendar-months"}""",
    };

    /// <summary>The default rulebook with <paramref name="rule"/> (and, for a review chain, every later review) counted in <paramref name="unit"/>.</summary>
    public static Rulebook CountedIn(string rule, string unit)
    {
        var limit = Units[unit];
        var then = Rulebook.Default[rule].IsRepeating ? $", \"then\": [{limit}]" : "";
        return Rulebook.WithOverrides("{\"rules\": {\"" + rule + "\": {\"limit\": " + limit + then + "}}}");
    }

    public static IEnumerable<(string Rule, string Unit)> EveryRuleInEveryFamily() =>
        Rules.Keys.SelectMany(rule => Units.Keys.Select(unit => (rule, unit)));
}
