namespace CasePathway.Domain.Scorecard;

/// <summary>
/// The scorecard's indicators (the seed scorecard's, docs/scorecard.md), each with its definition. The
/// definitions are the indicators' own, independent of a tenant's rulebook: a tenant that relaxes a
/// clock does not relax its scorecard. "In the month" always means the Europe/London date of the
/// measured event; retracted events count nowhere.
/// </summary>
public static class Indicators
{
    /// <summary>Fact sets kept only for the board's funnel (no indicator of their own).</summary>
    public const string AssessmentsStarted = "funnel-assessments-started";
    public const string Section47sStarted = "funnel-s47-started";
    public const string PlansMade = "funnel-plans-made";

    private const string Mash = "MASH screenings are screenings of contacts whose route is `mash` (or unknown, as from Annex A: the MASH is the front door)";
    private const string NoContact = "A screening whose contact is not recorded is not counted (its route and start are unknown).";

    public static readonly IReadOnlyList<Indicator> All =
    [
        new("FD1", "Contacts received in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "Count of ContactReceived in the month (by the contact's occurrence), both routes, including requests for information. One per contactId."),
        new("FD7", "% contacts referred to children's social care", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Numerator: referrals received in the month (ReferralReceived, as CIN1). Denominator: contacts received in the month (as FD1). As in the seed scorecard (224 ÷ 1355 = 16%), numerator and denominator are the month's flows, not one cohort followed through."),
        new("FD8", "% MASH screenings completed within 72 working hours (excluding requests for information)", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            $"Denominator: MASH screenings in the month (ContactScreened, by the screening's date; the first screening of each contact), excluding contacts marked requestForInformation. {Mash}. Numerator: those screened no later than 72 working hours after the contact was received, counted with the tenant's working calendar whatever the tenant's mash-screening rule says (24 hours of each working day; a date-only time is 00:00). {NoContact}")
            { IsTimeliness = true },
        new("FD9", "% EHAP screenings within 5 working days", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            $"Denominator: early help access point screenings in the month (ContactScreened of a contact whose route is `ehap`, by the screening's date). Numerator: those screened on or before the 5th working day after the contact's date (the contact's date is day 0). Requests for information are included. {NoContact}")
            { IsTimeliness = true },
        new("FD10", "% MASH screenings ending in referral", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            $"Denominator: MASH screenings in the month, every outcome, requests for information included. {Mash}. Numerator: those with outcome `referral`."),
        new("FD11", "% MASH screenings ending in early help", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator as FD10. Numerator: MASH screenings in the month with outcome `early-help`."),
        new("FD12", "% MASH screenings ending in information and advice", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator as FD10. Numerator: MASH screenings in the month with outcome `information-advice` (`nfa` is in the denominator only)."),
        new("FD13", "% EHAP screenings ending in referral", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator: early help access point screenings in the month (route `ehap`), every outcome. Numerator: those with outcome `referral`."),
        new("FD14", "% EHAP screenings ending in early help", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator as FD13. Numerator: EHAP screenings in the month with outcome `early-help`."),
        new("FD15", "% EHAP screenings ending in information and advice", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator as FD13. Numerator: EHAP screenings in the month with outcome `information-advice`."),
        new("EH1", "Average working days from contact to screening, screenings ending in early help", IndicatorKind.Mean, IndicatorPeriod.Month, Polarity.LowerIsBetter,
            $"Screenings in the month with outcome `early-help`, from either route, requests for information included. Each counts the working days d with contact date < d ≤ screening date (same day = 0). Numerator: the sum of those working days; denominator: the number of screenings; value: the average. {NoContact}",
            Unit: "working days"),
        new("CIN1", "Referrals received in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "Count of ReferralReceived in the month (one per referralId)."),
        new("CIN2", "Referrals per 10,000 children (rolling 12 months)", IndicatorKind.RatePer10000, IndicatorPeriod.Rolling12Months, Polarity.None,
            "Numerator: referrals received in the 12 months ending with the month (as CIN1). Denominator: the child population in the tenant's configuration (childPopulation). Value: numerator ÷ denominator × 10,000. Empty when the child population is not configured.",
            Facts: "CIN1", Unit: "per 10,000"),
        new("CIN3", "% referrals with a decision within 24 hours", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: decisions on referrals made in the month (the first ReferralDecisionMade of each referral, by its date) whose referral is recorded. Numerator: those made no more than 24 elapsed hours after the referral was received — 24 hours by the clock, whatever the tenant's referral-decision rule allows (Working Together's one working day). A date-only time is the start of its London day.")
            { IsTimeliness = true },
        new("CIN4", "% re-referrals within 12 months", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.LowerIsBetter,
            "Denominator: referrals received in the month. Numerator: those where the same child had another referral received before it and on or after the same date 12 months earlier (LocalDate.PlusMonths(-12)), whatever became of that referral."),
        new("CIN5", "% assessments finding the child not in need", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator: child and family assessments authorised in the month (AssessmentAuthorised, by its date) whose outcome is recorded. Numerator: those with outcome `nfa`. An assessment authorised with its outcome unknown (Ofsted Annex A often leaves \"assessed as requiring support\" blank) is in neither: it says neither that the child is in need nor that they are not."),
        new("CIN8", "% child and family assessments within 45 working days", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: assessments authorised in the month whose start (AssessmentStarted) is recorded. Numerator: those authorised on or before the 45th working day after the start date (start date = day 0), as DfE table C2 measures, whatever the tenant's assessment rules say. The outcome is not read: an assessment authorised with its outcome unknown counts like any other.")
            { IsTimeliness = true },
        new("CIN9", "Strategy discussions held in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "Count of StrategyDiscussionHeld in the month (one per strategyId)."),
        new("CIN11", "% strategy discussions ending in Section 47", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator: strategy discussions held in the month (as CIN9). Numerator: those with outcome `s47`."),
        new("CIN12", "% strategy discussions ending in no further action", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator: strategy discussions held in the month (as CIN9). Numerator: those with outcome `nfa`."),
        new("CIN13", "Section 47 enquiries completed in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "An enquiry (s47Id) is completed by the first of: Section47Completed, or an initial child protection conference held for it. Count of enquiries whose completion falls in the month."),
        new("CIN15", "% Section 47 enquiries leading to an ICPC", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.None,
            "Denominator: Section 47 enquiries completed in the month (as CIN13). Numerator: those completed by a conference, or whose Section47Completed says icpcRequired, or for which a conference has been held since."),
        new("CIN17", "% CIN reviews in timescale (year to date)", IndicatorKind.Percentage, IndicatorPeriod.YearToDate, Polarity.HigherIsBetter,
            "Denominator: child in need plan reviews held from April (the start of the financial year) to the month (ChildInNeedReviewHeld, by the review's date) of plans whose start (ChildInNeedPlanStarted) is recorded; a review dated before its plan started is not counted. Numerator: those held on or before their due date: the first within 3 months of the plan's start, each later one within 3 months of the previous review (LocalDate.PlusMonths). There is no national timescale (Working Together leaves it to local procedures): these 3 months are the scorecard's own, whatever the tenant's cin-review rule says. Plans imported from the CIN census, which records no review dates, have no reviews to count.")
            { IsTimeliness = true },
        new("CIN22", "Return interviews offered in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "Count of ReturnInterviewOffered in the month (one per missingId)."),
        new("CIN23", "% return interviews completed within 72 hours", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: return interviews completed in the month (ReturnInterviewCompleted, by its date) whose return (ChildReturned) is recorded. Numerator: those completed no more than 72 elapsed hours after the child returned (instants, correct across clock changes).")
            { IsTimeliness = true },
        new("SG5", "% ICPCs within 15 working days of the S47 start (year to date)", IndicatorKind.Percentage, IndicatorPeriod.YearToDate, Polarity.HigherIsBetter,
            "SG6's numerator and denominator summed from April (the start of the financial year) to the month.",
            Facts: "SG6"),
        new("SG6", "% ICPCs within 15 working days of the S47 start (month)", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: initial child protection conferences held in the month (the first for each s47Id) whose Section47Started is recorded. Numerator: those held on or before the 15th working day after the S47 start date (day 0), as DfE measures from S47ActualStartDate.")
            { IsTimeliness = true },
        new("SG7", "ICPCs held in month", IndicatorKind.Count, IndicatorPeriod.Month, Polarity.None,
            "Count of InitialChildProtectionConferenceHeld in the month (the first for each s47Id)."),
        new("SG8", "% ICPCs attended by police", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: ICPCs held in the month whose attendance records whether the police attended. Numerator: those the police attended. Conferences with no attendance recorded are in neither."),
        new("SG9", "% ICPCs attended by health", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: ICPCs held in the month whose attendance records whether health attended. Numerator: those health attended. Conferences with no attendance recorded are in neither."),
        new("SG10", "% ICPCs attended by education", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: ICPCs held in the month whose attendance records whether education attended. Numerator: those education attended. Conferences with no attendance recorded are in neither."),
        new("SG11", "% child protection plan reviews in timescale (year to date)", IndicatorKind.Percentage, IndicatorPeriod.YearToDate, Polarity.HigherIsBetter,
            "SG12's numerator and denominator summed from April to the month.",
            Facts: "SG12"),
        new("SG12", "% child protection plan reviews in timescale (month)", IndicatorKind.Percentage, IndicatorPeriod.Month, Polarity.HigherIsBetter,
            "Denominator: review conferences held in the month (ChildProtectionReviewHeld) of plans made at a recorded ICPC. Numerator: those held on or before their due date: the first within 3 months of the ICPC, each later one within 6 months of the previous review (LocalDate.PlusMonths), as Working Together requires.")
            { IsTimeliness = true },
        new("SG15", "% looked-after reviews in timescale (year to date)", IndicatorKind.Percentage, IndicatorPeriod.YearToDate, Polarity.HigherIsBetter,
            "Denominator: looked-after reviews held from April to the month (LookedAfterReviewHeld) of periods whose start (BecameLookedAfter) is recorded. Numerator: those held on or before their due date: the first within 20 working days of the child becoming looked after, the second within 3 months of the first, later ones within 6 months of the previous (reg 33)."),
    ];

    public static Indicator? Find(string id) => All.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
}
