using CasePathway.Domain.Scorecard;
using Shouldly;

namespace CasePathway.Domain.Tests.Scorecard;

public class BoardArithmeticTests
{
    [Fact]
    public void Working_days_fall_into_the_bucket_that_holds_them_and_the_last_bucket_is_open_ended()
    {
        (decimal, long)[] values = [(0, 2), (1, 1), (4, 3), (5, 1), (10, 2), (11, 1), (40, 5)];
        BoardArithmetic.Histogram(values, BoardArithmetic.ScreeningBuckets)
            .ShouldBe([2m, 1m, 0m, 0m, 4m, 2m, 6m]);
    }

    [Fact]
    public void Conference_bands_are_DfEs_and_an_empty_month_counts_zero_in_every_band()
    {
        BoardArithmetic.ConferenceBuckets.Select(b => b.Label).ShouldBe(["0–10", "11–15", "16–20", "21–30", "over 30"]);
        BoardArithmetic.Histogram([], BoardArithmetic.ConferenceBuckets).ShouldAllBe(c => c == 0m);
    }

    [Fact]
    public void Groups_are_shown_alphabetically_once_each_with_the_unrecorded_last()
    {
        BoardArithmetic.InShowingOrder(["Police", null, "Health", "Police", "Education"])
            .ShouldBe(["Education", "Health", "Police", null]);
    }

    [Fact]
    public void A_share_is_a_percentage_rounded_half_away_from_zero_and_absent_when_nothing_was_measured()
    {
        BoardArithmetic.Share(new FactGroup("A", 1, 8)).ShouldBe(12.5m);
        BoardArithmetic.Share(new FactGroup("A", 2, 3)).ShouldBe(66.7m);
        BoardArithmetic.Share(new FactGroup("A", 1, 16)).ShouldBe(6.3m); // 6.25 → 6.3
        BoardArithmetic.Share(new FactGroup("A", 0, 0)).ShouldBeNull();
        BoardArithmetic.Share(null).ShouldBeNull();
    }

    [Theory]
    [InlineData(85.0, 85, "Green")]    // meets the target exactly
    [InlineData(90.0, 85, "Green")]
    [InlineData(80.0, 85, "Amber")]    // 5 points short
    [InlineData(79.9, 85, "Red")]
    public void A_percentage_where_higher_is_better_is_amber_within_five_points_of_its_target(decimal value, decimal target, string rag) =>
        BoardArithmetic.RagOf(Polarity.HigherIsBetter, IndicatorKind.Percentage, value, target).ToString().ShouldBe(rag);

    [Theory]
    [InlineData(10.0, 12, "Green")]    // re-referrals below the target
    [InlineData(17.0, 12, "Amber")]
    [InlineData(17.1, 12, "Red")]
    public void Where_lower_is_better_a_figure_above_its_target_falls_short(decimal value, decimal target, string rag) =>
        BoardArithmetic.RagOf(Polarity.LowerIsBetter, IndicatorKind.Percentage, value, target).ToString().ShouldBe(rag);

    [Fact]
    public void A_mean_is_amber_within_a_tenth_of_its_target_and_nothing_is_judged_without_a_target_value_or_polarity()
    {
        BoardArithmetic.RagOf(Polarity.LowerIsBetter, IndicatorKind.Mean, 5.5m, 5m).ShouldBe(Rag.Amber);
        BoardArithmetic.RagOf(Polarity.LowerIsBetter, IndicatorKind.Mean, 5.6m, 5m).ShouldBe(Rag.Red);
        BoardArithmetic.RagOf(Polarity.HigherIsBetter, IndicatorKind.Percentage, null, 85m).ShouldBeNull();
        BoardArithmetic.RagOf(Polarity.HigherIsBetter, IndicatorKind.Percentage, 50m, null).ShouldBeNull();
        BoardArithmetic.RagOf(Polarity.None, IndicatorKind.Percentage, 50m, 20m).ShouldBeNull();
    }
}
