using CasePathway.Domain.Scorecard;
using CasePathway.Host.Features.Scorecard;
using NodaTime;

namespace CasePathway.Projections.Tests.Scorecard;

/// <summary>Every indicator of October 2022, hand-counted from the comments in <see cref="October2022"/>.</summary>
public class October2022Tests(October2022 october) : IClassFixture<October2022>
{
    // id, numerator, denominator, value (null: empty). Counts have no numerator or denominator.
    public static TheoryData<string, double?, double?, double?> Expected => new()
    {
        { "FD1", null, null, 11 },        // K1 K2 K3 K4 K5 K6 K9 K10 K12 K13 K14 (K7 Sep, K8 Nov, K11 retracted)
        { "FD7", 10, 11, 90.9 },          // referrals R1 R2 R3 R4 R5 R8 R10 R12 R14 R16 ÷ contacts
        { "FD8", 2, 3, 66.7 },            // K1 met, K13 met at its due instant, K2 late; K3 (RFI) and K10 (retracted screening) out
        { "FD9", 1, 2, 50.0 },            // K4 met, K5 late
        { "FD10", 1, 4, 25.0 },           // MASH screenings K1 K2 K3 K13 (RFI included)
        { "FD11", 1, 4, 25.0 },
        { "FD12", 1, 4, 25.0 },
        { "FD13", 0, 2, 0.0 },            // EHAP screenings K4 K5
        { "FD14", 1, 2, 50.0 },
        { "FD15", 0, 2, 0.0 },
        { "EH1", 8, 2, 4.0 },             // K2 3 WD + K4 5 WD
        { "CIN1", null, null, 10 },
        { "CIN2", 11, 5000, 22.0 },       // Nov 2021–Oct 2022: October's 10 + R13
        { "CIN3", 1, 5, 20.0 },           // R2 within; R3 R4 R5 R8 not (R1's decision is November's)
        { "CIN4", 2, 10, 20.0 },          // R10 (exactly 12 months) and R14 (across the year boundary)
        { "CIN5", 2, 4, 50.0 },           // AS2 AS3 nfa of AS1–AS4; AS5's outcome is unknown: in neither
        { "CIN8", 3, 4, 75.0 },           // AS1 (45 WD) AS4 AS5 met, AS2 (46 WD) late; AS3 has no start
        { "CIN9", null, null, 4 },        // S1 S2 S3 S5 (S4 is September's)
        { "CIN11", 2, 4, 50.0 },
        { "CIN12", 1, 4, 25.0 },
        { "CIN13", null, null, 4 },       // P1 (by conference) P2 P3 P5 (P4 completed in September)
        { "CIN15", 3, 4, 75.0 },          // P1 P2 P5
        { "CIN17", 2, 3, 66.7 },          // April–October: CP5#1 (August) and CP1#1 met, CP2#1 late; CP3#1 last year's, CP4's retracted
        { "CIN22", null, null, 3 },       // MS1 MS2 MS3
        { "CIN23", 1, 2, 50.0 },          // MS2 exactly 72 h; MS1 72½ h across the clock change
        { "SG5", 2, 4, 50.0 },            // April–October: P6 (May) and P1 met; P2 P4 late; P7 is last year's
        { "SG6", 1, 3, 33.3 },            // P1 met, P2 P4 late, P5 not timed
        { "SG7", null, null, 4 },         // P1 P2 P4 P5
        { "SG8", 2, 3, 66.7 },            // police: P1 P5 yes, P2 no, P4 not recorded
        { "SG9", 2, 2, 100.0 },           // health: P2 not recorded
        { "SG10", 2, 3, 66.7 },           // education: P1 no
        { "SG11", 2, 4, 50.0 },           // PL4#1 (April) and PL2#1 met; PL3#1 and PL4#2 late
        { "SG12", 1, 3, 33.3 },
        { "SG15", 3, 4, 75.0 },           // LA1#1 LA2#1 LA3#4 met; LA2#2 late
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Every_indicator_matches_the_hand_count(string id, double? numerator, double? denominator, double? value)
    {
        var result = (await october.World.MonthAsync(2022, 10))[id].ShouldNotBeNull();
        ((double?)result.Numerator).ShouldBe(numerator, $"{id} numerator");
        ((double?)result.Denominator).ShouldBe(denominator, $"{id} denominator");
        ((double?)result.Value).ShouldBe(value, $"{id} value");
    }

    [Fact]
    public void Every_indicator_of_the_brief_is_in_the_catalogue_and_in_the_hand_count()
    {
        var expected = Expected.Select(row => (string)row[0]).ToList();
        Indicators.All.Select(i => i.Id).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public async Task Targets_benchmarks_and_definitions_come_with_the_figures()
    {
        var report = await october.World.MonthAsync(2022, 10);
        report.TenantName.ShouldBe("October Borough");
        report["FD8"]!.Target.ShouldBe(85m);
        report["FD9"]!.Target.ShouldBeNull();
        report["CIN4"]!.Benchmarks.ShouldBe(new Domain.Tenants.Benchmarks(21.5m, 20.9m, 23.0m));
        report.Indicators.ShouldAllBe(i => i.Definition.Length > 40);
        report["CIN17"]!.Definition.ShouldContain("whatever the tenant's cin-review rule says");
    }

    [Fact]
    public async Task Direction_of_travel_compares_with_the_month_before_and_the_year_before()
    {
        var report = await october.World.MonthAsync(2022, 10);
        report["FD1"]!.SincePreviousMonth.ShouldBe(new Travel(1, TravelDirection.Up, null));      // K7 in September
        report["CIN1"]!.SincePreviousYear.ShouldBe(new Travel(2, TravelDirection.Up, null));      // R9 R11 in October 2021
        report["CIN3"]!.SincePreviousMonth.ShouldBe(new Travel(null, null, null));  // no decisions in September
        var september = await october.World.MonthAsync(2022, 9);
        september["SG15"]!.Value.ShouldBe(100.0m);                                  // LA1#1 LA2#1 LA3#4, all met
        report["SG15"]!.SincePreviousMonth.ShouldBe(new Travel(100.0m, TravelDirection.Down, TravelJudgement.Worse));
    }

    [Fact]
    public async Task The_year_to_date_and_twelve_months_are_the_same_facts_over_longer_spans()
    {
        var report = await october.World.MonthAsync(2022, 10);
        var sg6 = report["SG6"]!;
        sg6.YearToDate.ShouldBe(new IndicatorFigure(new YearMonth(2022, 4), new YearMonth(2022, 10), 2, 4, 50.0m));
        sg6.ThisMonth.ShouldBe(new IndicatorFigure(new YearMonth(2022, 10), new YearMonth(2022, 10), 1, 3, 33.3m));
        report["CIN1"]!.Rolling12Months.Value.ShouldBe(11m);
    }

    [Fact]
    public async Task Cin_reviews_count_in_their_month_and_the_financial_year_they_were_held_in()
    {
        var report = await october.World.MonthAsync(2022, 10);
        var cin17 = report["CIN17"]!;
        cin17.Period.ShouldBe(IndicatorPeriod.YearToDate);
        cin17.ThisMonth.ShouldBe(new IndicatorFigure(new YearMonth(2022, 10), new YearMonth(2022, 10), 1, 2, 50.0m));        // CP1#1 met, CP2#1 late
        cin17.YearToDate.ShouldBe(new IndicatorFigure(new YearMonth(2022, 4), new YearMonth(2022, 10), 2, 3, 66.7m));
        cin17.SincePreviousMonth.ShouldBe(new Travel(100.0m, TravelDirection.Down, TravelJudgement.Worse));              // September's year to date: CP5#1 only
        (await october.World.MonthAsync(2022, 3))["CIN17"]!.Value.ShouldBe(100.0m);        // CP3#1, in 2021–22

        var items = (await october.World.Query.ItemsAsync(october.World.Tenant, "CIN17", new YearMonth(2022, 10))).ShouldNotBeNull();
        items.Select(i => (i.Child, i.Episode, i.Rule, i.InNumerator)).ShouldBe(
            [("J5", "CP5#1", "cin-review", true), ("J1", "CP1#1", "cin-review", true), ("J2", "CP2#1", "cin-review", false)],
            ignoreOrder: true);
    }

    [Fact]
    public async Task November_has_what_crossed_the_month_end()
    {
        var november = await october.World.MonthAsync(2022, 11);
        november["FD1"]!.Value.ShouldBe(1m);         // K8 at 00:30 GMT on 1 November
        november["CIN3"]!.Denominator.ShouldBe(1m);  // R1's decision on 1 November
    }

    [Fact]
    public async Task The_drill_down_names_the_children_and_clocks_behind_numerator_and_denominator()
    {
        var items = (await october.World.Query.ItemsAsync(october.World.Tenant, "FD8", new YearMonth(2022, 10))).ShouldNotBeNull();
        items.Select(i => (i.Child, i.Episode, i.Rule, i.InNumerator)).ShouldBe(
        [
            ("A8", "K13", "mash-screening", true),
            ("A1", "K1", "mash-screening", true),
            ("A2", "K2", "mash-screening", false),
        ]);
        items.Single(i => i.Child == "A1").Team.ShouldBe("Front door");
        items.Single(i => i.Child == "A1").Source.ShouldBe("police");

        var sg5 = (await october.World.Query.ItemsAsync(october.World.Tenant, "SG5", new YearMonth(2022, 10))).ShouldNotBeNull();
        sg5.Select(i => i.Child).ShouldBe(["F6", "F1", "F4", "F2"]);
        (await october.World.Query.ItemsAsync(october.World.Tenant, "XX9", new YearMonth(2022, 10))).ShouldBeNull();
    }

    [Fact]
    public async Task Breakdowns_and_distributions_read_the_same_facts()
    {
        var query = october.World.Query;
        var bySource = await query.BreakdownAsync(october.World.Tenant, "FD1", new YearMonth(2022, 10), FactDimension.Source);
        bySource.ShouldBe(
        [
            new FactGroup("anonymous", 1, 1), new FactGroup("health", 1, 1), new FactGroup("police", 7, 7), new FactGroup("school", 2, 2),
        ]);
        var days = await query.DistributionAsync(october.World.Tenant, ["SG6"], new YearMonth(2022, 10));
        days.ShouldBe([(15m, 1L), (16m, 1L), (22m, 1L)]);
    }
}
