namespace CasePathway.Domain.Scorecard;

/// <summary>A histogram bucket of working days, both ends included.</summary>
public sealed record DayBucket(string Label, decimal From, decimal To)
{
    public bool Holds(decimal value) => value >= From && value <= To;
}

/// <summary>Red, amber or green: how a figure stands against its target.</summary>
public enum Rag { Green, Amber, Red }

/// <summary>
/// The board's arithmetic over the scorecard's facts, apart from reading them: bucketing working days,
/// shares by group and the order groups are shown in. The last bucket of each scale is open-ended.
/// </summary>
public static class BoardArithmetic
{
    /// <summary>A screening scale in working days.</summary>
    public static readonly IReadOnlyList<DayBucket> ScreeningBuckets =
        [new("0", 0, 0), new("1", 1, 1), new("2", 2, 2), new("3", 3, 3), new("4–5", 4, 5), new("6–10", 6, 10), new("over 10", 11, decimal.MaxValue)];

    /// <summary>DfE's bands for Section 47 start to ICPC, in working days.</summary>
    public static readonly IReadOnlyList<DayBucket> ConferenceBuckets =
        [new("0–10", 0, 10), new("11–15", 11, 15), new("16–20", 16, 20), new("21–30", 21, 30), new("over 30", 31, decimal.MaxValue)];

    /// <summary>How many of the counted values fall in each bucket, in the buckets' order.</summary>
    public static IReadOnlyList<decimal?> Histogram(IEnumerable<(decimal Value, long Count)> values, IReadOnlyList<DayBucket> buckets)
    {
        var counted = values.ToList();
        return buckets.Select(b => (decimal?)counted.Where(v => b.Holds(v.Value)).Sum(v => v.Count)).ToList();
    }

    /// <summary>Group keys in the order the board shows them: named groups alphabetically, the unrecorded (null) last.</summary>
    public static IReadOnlyList<string?> InShowingOrder(IEnumerable<string?> keys) =>
        keys.Distinct().OrderBy(k => k is null).ThenBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>The group's share within timescale, as the scorecard rounds percentages; null when nothing was measured.</summary>
    public static decimal? Share(FactGroup? group) =>
        group is { Denominator: > 0 } g ? ScorecardCalculator.Percentage(g.Numerator, g.Denominator) : null;

    /// <summary>How far short of its target a percentage may fall, in percentage points, and still be amber.</summary>
    public const decimal AmberPoints = 5m;

    /// <summary>How far short of its target any other figure may fall, as a share of the target, and still be amber.</summary>
    public const decimal AmberShare = 0.1m;

    /// <summary>
    /// Green when the figure meets its target (at or above it where higher is better, at or below it where
    /// lower is better); amber when it misses by no more than <see cref="AmberPoints"/> percentage points
    /// (a percentage) or <see cref="AmberShare"/> of the target (anything else); red beyond. None without a
    /// value, a target, or a direction that is better (an indicator that only describes, such as FD7).
    /// </summary>
    public static Rag? RagOf(Polarity polarity, IndicatorKind kind, decimal? value, decimal? target)
    {
        if (value is not { } v || target is not { } t || polarity == Polarity.None) return null;
        var shortfall = polarity == Polarity.HigherIsBetter ? t - v : v - t;
        if (shortfall <= 0) return Rag.Green;
        var tolerance = kind == IndicatorKind.Percentage ? AmberPoints : Math.Abs(t) * AmberShare;
        return shortfall <= tolerance ? Rag.Amber : Rag.Red;
    }

    /// <summary>The RAG of a scorecard row, by its indicator's polarity.</summary>
    public static Rag? RagOf(IndicatorResult result) =>
        Indicators.Find(result.Id) is { } indicator ? RagOf(indicator.Polarity, result.Kind, result.Value, result.Target) : null;
}
