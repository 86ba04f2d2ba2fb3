namespace CasePathway.Import.Demo;

/// <summary>
/// The shares that decide how a synthetic front door's work flows: of contacts, how many come through the
/// MASH and become referrals; of referrals, how many go to assessment or a strategy discussion; and so on.
/// The delays (and the stuck cases that make breaches) are the generator's own and do not change with it.
/// </summary>
public sealed record FrontDoorShape(
    double SecondContact,
    double Mash,
    double MashReferral,
    double ReferralAssessment,
    double ReferralStrategy,
    double StrategySection47,
    double Section47WithoutConference)
{
    /// <summary>The demonstration's: busy with referrals and conferences, so that every page has something to show.</summary>
    public static readonly FrontDoorShape Demo = new(0.15, 0.75, 0.42, 0.55, 0.25, 0.73, 0.6);

    /// <summary>
    /// A mid-sized council's front door a month: about 1,300 contacts, 220 referrals, 130 strategy discussions,
    /// 100 Section 47 enquiries and 30 initial conferences (the ratios of the design's seed scorecard).
    /// Referral per contact 0.75 × 0.193 + 0.25 × 0.1 ≈ 0.17; strategy per referral 0.59; S47 per strategy
    /// 0.77; conference per S47 0.3.
    /// </summary>
    public static readonly FrontDoorShape England = new(0.15, 0.75, 0.193, 0.35, 0.59, 0.77, 0.7);
}
