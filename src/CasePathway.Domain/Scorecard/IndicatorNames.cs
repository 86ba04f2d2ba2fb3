using NodaTime;

namespace CasePathway.Domain.Scorecard;

/// <summary>Which way a figure moved since an earlier one.</summary>
public enum TravelDirection { Up, Down, Same }

/// <summary>Whether a move is good news, for indicators with a <see cref="Polarity"/>.</summary>
public enum TravelJudgement { Better, Worse }

/// <summary>
/// The scorecard's names in every output (contract, "report scorecard"): each spelled here once; the
/// outputs write and read them through these.
/// </summary>
public static class IndicatorNames
{
    public static string Name(this IndicatorKind kind) => kind switch
    {
        IndicatorKind.Count => "count",
        IndicatorKind.Percentage => "percentage",
        IndicatorKind.Mean => "mean",
        IndicatorKind.RatePer10000 => "rate-per-10000",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Name(this IndicatorPeriod period) => period switch
    {
        IndicatorPeriod.YearToDate => "year-to-date",
        IndicatorPeriod.Rolling12Months => "rolling-12-months",
        IndicatorPeriod.Month => "month",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    public static string Name(this TravelDirection direction) => direction switch
    {
        TravelDirection.Up => "up",
        TravelDirection.Down => "down",
        TravelDirection.Same => "same",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static string Name(this TravelJudgement judgement) => judgement switch
    {
        TravelJudgement.Better => "better",
        TravelJudgement.Worse => "worse",
        _ => throw new ArgumentOutOfRangeException(nameof(judgement), judgement, null),
    };

    /// <summary>A month as the outputs write it: 2022-10.</summary>
    public static string Text(YearMonth month) => $"{month.Year:0000}-{month.Month:00}";
}
