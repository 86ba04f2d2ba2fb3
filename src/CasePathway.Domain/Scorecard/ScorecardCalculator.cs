using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Scorecard;

/// <summary>A fact set's sums in one month: facts in the numerator, in the denominator, and the denominator's values summed.</summary>
public readonly record struct MonthTotals(long Numerator, long Denominator, decimal ValueSum)
{
    public static MonthTotals operator +(MonthTotals a, MonthTotals b) =>
        new(a.Numerator + b.Numerator, a.Denominator + b.Denominator, a.ValueSum + b.ValueSum);
}

/// <summary>
/// Turns monthly fact totals into the scorecard: pure arithmetic over sums, so the year to date, 12 months
/// and the direction of travel are the same facts added over other spans. Percentages and means are
/// rounded to one decimal place, half away from zero, only at the end.
/// </summary>
public static class ScorecardCalculator
{
    /// <summary>Months of totals a report for a month needs: back to the year to date of the same month a year before.</summary>
    public const int MonthsNeeded = 24;

    public static YearMonth FinancialYearStart(YearMonth month) =>
        new(month.Month >= 4 ? month.Year : month.Year - 1, 4);

    public static ScorecardReport Compute(TenantSettings settings, YearMonth month, Func<string, YearMonth, MonthTotals> totals) =>
        new(settings.Tenant, settings.DisplayName, month, Indicators.All.Select(i => Compute(i, settings, month, totals)).ToList());

    public static IndicatorResult Compute(Indicator indicator, TenantSettings settings, YearMonth month, Func<string, YearMonth, MonthTotals> totals)
    {
        var headline = Headline(indicator, settings, month, totals);
        var previousMonth = Headline(indicator, settings, month.PlusMonths(-1), totals).Value;
        var previousYear = Headline(indicator, settings, month.PlusMonths(-12), totals).Value;
        decimal? target = settings.Targets?.TryGetValue(indicator.Id, out var t) == true ? t : null;
        return new IndicatorResult(
            indicator.Id, indicator.Title,
            headline.Numerator, headline.Denominator, headline.Value, target,
            indicator.Kind, indicator.Period, indicator.Unit, indicator.Definition,
            Figure(indicator, settings, month, month, totals),
            Figure(indicator, settings, FinancialYearStart(month), month, totals),
            Figure(indicator, settings, month.PlusMonths(-11), month, totals),
            Travel(indicator, headline.Value, previousMonth),
            Travel(indicator, headline.Value, previousYear),
            settings.Benchmarks?.GetValueOrDefault(indicator.Id));
    }

    /// <summary>The figure over the indicator's own period ending with <paramref name="month"/>.</summary>
    public static IndicatorFigure Headline(Indicator indicator, TenantSettings settings, YearMonth month, Func<string, YearMonth, MonthTotals> totals) =>
        indicator.Period switch
        {
            IndicatorPeriod.YearToDate => Figure(indicator, settings, FinancialYearStart(month), month, totals),
            IndicatorPeriod.Rolling12Months => Figure(indicator, settings, month.PlusMonths(-11), month, totals),
            _ => Figure(indicator, settings, month, month, totals),
        };

    public static IndicatorFigure Figure(Indicator indicator, TenantSettings settings, YearMonth from, YearMonth to, Func<string, YearMonth, MonthTotals> totals)
    {
        var sum = new MonthTotals();
        for (var m = from; m <= to; m = m.PlusMonths(1)) sum += totals(indicator.FactSet, m);
        var (numerator, denominator, value) = indicator.Kind switch
        {
            IndicatorKind.Count => (null, null, (decimal?)sum.Denominator),
            IndicatorKind.Percentage => ((decimal?)sum.Numerator, (decimal?)sum.Denominator, Ratio(100m * sum.Numerator, sum.Denominator)),
            IndicatorKind.Mean => (sum.ValueSum, sum.Denominator, Ratio(sum.ValueSum, sum.Denominator)),
            IndicatorKind.RatePer10000 => (sum.Denominator, settings.ChildPopulation, settings.ChildPopulation is { } p ? Ratio(10_000m * sum.Denominator, p) : null),
            _ => ((decimal?)null, (decimal?)null, (decimal?)null),
        };
        return new IndicatorFigure(from, to, numerator, denominator, value);
    }

    /// <summary>100 × numerator / denominator, rounded as every percentage is; null when the denominator is 0.</summary>
    public static decimal? Percentage(long numerator, long denominator) => Ratio(100m * numerator, denominator);

    private static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator == 0 ? null : decimal.Round(numerator / denominator, 1, MidpointRounding.AwayFromZero);

    private static Travel Travel(Indicator indicator, decimal? now, decimal? previous)
    {
        if (now is not { } a || previous is not { } b) return new Travel(previous, null, null);
        var direction = a > b ? TravelDirection.Up : a < b ? TravelDirection.Down : TravelDirection.Same;
        TravelJudgement? judgement = (indicator.Polarity, direction) switch
        {
            (Polarity.None, _) or (_, TravelDirection.Same) => null,
            (Polarity.HigherIsBetter, TravelDirection.Up) or (Polarity.LowerIsBetter, TravelDirection.Down) => TravelJudgement.Better,
            _ => TravelJudgement.Worse,
        };
        return new Travel(previous, direction, judgement);
    }
}
