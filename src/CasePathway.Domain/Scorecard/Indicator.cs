namespace CasePathway.Domain.Scorecard;

/// <summary>How an indicator's figure is made from its facts.</summary>
public enum IndicatorKind
{
    /// <summary>How many: the value is the number of facts (numerator and denominator are not shown).</summary>
    Count,
    /// <summary>100 × facts in the numerator ÷ facts in the denominator.</summary>
    Percentage,
    /// <summary>Average: the sum of the facts' values (numerator) ÷ the number of facts (denominator).</summary>
    Mean,
    /// <summary>Per 10,000 children: facts ÷ the tenant's child population × 10,000.</summary>
    RatePer10000,
}

/// <summary>Which months an indicator's headline figure covers, ending with the reported month.</summary>
public enum IndicatorPeriod
{
    Month,
    /// <summary>From April (the start of the financial year) to the reported month.</summary>
    YearToDate,
    Rolling12Months,
}

/// <summary>Whether a rising figure is good news, for the direction of travel.</summary>
public enum Polarity { None, HigherIsBetter, LowerIsBetter }

/// <summary>
/// One scorecard indicator and its written definition. <see cref="Facts"/> names the fact set it is
/// computed from: usually its own id, but SG5 is SG6's facts over the year to date, CIN2 CIN1's over
/// 12 months, and so on — one set of facts, never two countings of the same thing.
/// </summary>
public sealed record Indicator(
    string Id,
    string Title,
    IndicatorKind Kind,
    IndicatorPeriod Period,
    Polarity Polarity,
    string Definition,
    string? Facts = null,
    string? Unit = null)
{
    public string FactSet => Facts ?? Id;

    /// <summary>True when the figure is a share of a whole in time (the board's trend charts).</summary>
    public bool IsTimeliness { get; init; }
}
