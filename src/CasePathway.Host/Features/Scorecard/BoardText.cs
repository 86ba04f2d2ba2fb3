using System.Globalization;
using CasePathway.Domain.Scorecard;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>How the board page words the scorecard's typed figures: the one place they become text.</summary>
public static class BoardText
{
    // the host runs in globalization-invariant mode: the invariant culture writes English months and 1,355
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    /// <summary>A figure in its indicator's unit: "85.0%", "1,355", "4.2 working days", "312.5 per 10,000"; "–" when empty.</summary>
    public static string Figure(IndicatorKind kind, string? unit, decimal? value) => value is not { } v ? "–" : kind switch
    {
        IndicatorKind.Percentage => v.ToString("0.0", English) + "%",
        IndicatorKind.Count => v.ToString("#,0", English),
        _ => v.ToString("#,0.0", English) + (unit is null ? "" : " " + unit),
    };

    public static string Figure(IndicatorResult r, decimal? value) => Figure(r.Kind, r.Unit, value);

    /// <summary>What a share is of: "1 of 2"; nothing for counts and rates.</summary>
    public static string? OutOf(IndicatorResult r) =>
        r is { Kind: IndicatorKind.Percentage, Numerator: { } n, Denominator: { } d and > 0 }
            ? $"{n.ToString("#,0", English)} of {d.ToString("#,0", English)}"
            : null;

    public static string RagLabel(Rag rag) => rag.ToString();

    public static string RagTagClass(Rag rag) => rag switch
    {
        Rag.Green => "govuk-tag--green",
        Rag.Amber => "govuk-tag--yellow",
        _ => "govuk-tag--red",
    };

    /// <summary>The direction of travel since the month before, in words: "Up from 40.0%".</summary>
    public static string Travel(IndicatorResult r) => r.SincePreviousMonth switch
    {
        { Direction: TravelDirection.Up, Previous: var p } => "Up from " + Figure(r, p),
        { Direction: TravelDirection.Down, Previous: var p } => "Down from " + Figure(r, p),
        { Direction: TravelDirection.Same } => "No change",
        _ => "–",
    };

    public static string? JudgementLabel(TravelJudgement? judgement) => judgement switch
    {
        TravelJudgement.Better => "better",
        TravelJudgement.Worse => "worse",
        _ => null,
    };

    /// <summary>A chart's number in its table: shares to one decimal place, counts whole.</summary>
    public static string Cell(Measure measure, decimal? value) => value is not { } v ? "–" : measure switch
    {
        Measure.Percent => v.ToString("0.0", English),
        _ => v.ToString("#,0", English),
    };
}
