using CasePathway.Domain.Clocks;
using CasePathway.Import.AnnexA;
using CasePathway.Import.CinCensus;
using CasePathway.Testing;

namespace CasePathway.Import.Tests.EndToEnd;

/// <summary>
/// Import → pathway projection → clock report and breach list, on a real database, for every public
/// sample. The expected due dates are counted by hand from the files (counting conventions:
/// docs/conventions.md); each test says how.
/// </summary>
public class ClocksFromSamplesTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private readonly ImportedClocks _clocks = new(db);

    public static TheoryData<string> AnnexAFiles() => new(Samples.AnnexAFiles.Select(Path.GetFileName)!);

    public static TheoryData<string> CinFiles() => new(Samples.CinFiles.Select(Path.GetFileName)!);

    private async Task<string> ImportAnnexA(string file, string tenant)
    {
        await _clocks.ImportAsync(AnnexAImporter.Import(Samples.AnnexA(file), tenant, Samples.Today));
        return tenant;
    }

    private async Task<string> ImportCin(string file, string tenant)
    {
        await _clocks.ImportAsync(CinCensusImporter.Import(Samples.Cin(file), tenant));
        return tenant;
    }

    [Fact]
    public async Task Cin_2024_s47_due_date_skips_the_platinum_jubilee_not_the_files_own_target()
    {
        // S47 started Thu 2 Jun 2022 (day 0, itself a bank holiday); Fri 3 Jun is the Jubilee holiday, so the
        // 15th working day is Fri 24 Jun — the file's InitialCPCtarget says 23 Jun. The ICPC on 17 Jun met it.
        var tenant = await ImportCin("csc-validator-cin-census-2024.xml", "e2e-cin24");

        var icpc = await _clocks.ClockAsync(tenant, "DfEX0000001", "icpc", "CIN-DfEX0000001-S47-2022-06-02");

        (icpc.Started, icpc.Due, icpc.Stopped, icpc.Status.Name()).ShouldBe(("2022-06-02", "2022-06-24", "2022-06-17", "met"));
        icpc.Explanation.ShouldContain("3 Jun 2022");
    }

    [Fact]
    public async Task Cin_2024_plan_first_review_is_due_three_months_after_the_plan_started()
    {
        // Plan (and its conference) 17 Feb 2022 + 3 months = 17 May 2022; the only review, 15 Feb 2023, is late.
        var tenant = await ImportCin("csc-validator-cin-census-2024.xml", "e2e-cin24-plan");

        var review = await _clocks.ClockAsync(tenant, "DfEX0000001", "cp-review", "CIN-DfEX0000001-CPP-2022-02-17#1");

        (review.Started, review.Due, review.Stopped, review.Status.Name()).ShouldBe(("2022-02-17", "2022-05-17", "2023-02-15", "late"));
        // The census has no referral decision date: that clock claims nothing.
        (await _clocks.ClockAsync(tenant, "DfEX0000001", "referral-decision", "CIN-DfEX0000001-2022-10-06")).Status.ShouldBe(ClockStatus.NotMeasurable);
    }

    [Fact]
    public async Task Cin_2021_assessment_authorised_a_year_after_its_45_working_days_is_late()
    {
        // Started Wed 3 Jun 1970 (a computed year: no holiday before the last Monday of August): the 45th
        // working day is Wed 5 Aug 1970. Authorised 18 Jul 1971.
        var tenant = await ImportCin("csc-validator-cin-census-2021.xml", "e2e-cin21");

        var assessment = await _clocks.ClockAsync(tenant, "DfEX0000001", "assessment-duration", "CIN-DfEX0000001-A-1970-06-03");

        (assessment.Started, assessment.Due, assessment.Stopped, assessment.Status.Name()).ShouldBe(("1970-06-03", "1970-08-05", "1971-07-18", "late"));
    }

    [Fact]
    public async Task Annex_a_assessment_across_the_state_funeral_is_met_on_its_due_day_and_late_the_day_after()
    {
        // Our own small file: started Thu 15 Sep 2022; Mon 19 Sep (State Funeral) is skipped, so the 45th
        // working day is Fri 18 Nov 2022.
        using var folder = new TempFolder();
        folder.Write("List 4.csv",
            "Child Unique ID,Continuous Assessment Start Date,Continuous Assessment Date of Authorisation," +
            "Was the child assessed as requiring LA children's social care support?\n" +
            "M1,15/09/2022,18/11/2022,a) Yes\n" +
            "L1,15/09/2022,21/11/2022,b) No\n");
        await _clocks.ImportAsync(AnnexAImporter.Import(folder.Path, "e2e-a4", Samples.Today));

        var met = await _clocks.ClockAsync("e2e-a4", "M1", "assessment-duration", "A4-M1-2022-09-15");
        var late = await _clocks.ClockAsync("e2e-a4", "L1", "assessment-duration", "A4-L1-2022-09-15");

        (met.Due, met.Stopped, met.Status.Name()).ShouldBe(("2022-11-18", "2022-11-18", "met"));
        (late.Due, late.Stopped, late.Status.Name()).ShouldBe(("2022-11-18", "2022-11-21", "late"));
    }

    [Fact]
    public async Task Annex_a_liia_clocks_have_the_due_dates_and_statuses_the_conventions_require()
    {
        var tenant = await ImportAnnexA("liia-tools-annex-a-sample.xlsx", "e2e-liia");

        // List 3 referral: Annex A has no decision date, so the decision clock (due the next working day)
        // cannot be measured; nor can referral → assessment, as Annex A does not link assessments to referrals.
        var decision = await _clocks.ClockAsync(tenant, "6537810", "referral-decision", "A3-6537810-2020-09-16");
        (decision.Due, decision.Status.Name()).ShouldBe(("2020-09-17", "not-measurable"));
        (await _clocks.ClockAsync(tenant, "6537810", "assessment", "A3-6537810-2020-09-16")).Status.ShouldBe(ClockStatus.NotMeasurable);

        // List 5: strategy discussion Wed 16 Sep 2020 + 15 working days = Wed 7 Oct 2020; ICPC Mon 5 Oct.
        var icpc = await _clocks.ClockAsync(tenant, "6537810", "icpc", "A5-6537810-2020-09-16");
        (icpc.Due, icpc.Stopped, icpc.Status.Name()).ShouldBe(("2020-10-07", "2020-10-05", "met"));

        // ICPC deemed unnecessary: cancelled, never breached.
        (await _clocks.ClockAsync(tenant, "10273003", "icpc", "A5-10273003-2020-09-16")).Status.ShouldBe(ClockStatus.Cancelled);

        // List 7 first reviews: 23 Nov 2020 + 3 months = 23 Feb 2021, reviewed 16 Feb (met);
        // 27 Apr 2020 + 3 months = 27 Jul 2020, reviewed 4 Jan 2021 (late); 8 Feb 2021 + 3 months = 8 May 2021, no review (breached).
        var met = await _clocks.ClockAsync(tenant, "10721552", "cp-review", "A7-10721552-2020-11-23#1");
        (met.Due, met.Stopped, met.Status.Name()).ShouldBe(("2021-02-23", "2021-02-16", "met"));
        var late = await _clocks.ClockAsync(tenant, "16036763", "cp-review", "A7-16036763-2020-04-27#1");
        (late.Due, late.Stopped, late.Status.Name()).ShouldBe(("2020-07-27", "2021-01-04", "late"));
        var open = await _clocks.ClockAsync(tenant, "5358472", "cp-review", "A7-5358472-2021-02-08#1");
        (open.Due, open.Stopped, open.Status.Name()).ShouldBe(("2021-05-08", null, "breached"));
    }

    [Fact]
    public async Task Annex_a_liia_assessments_whose_outcome_says_neither_yes_nor_no_still_have_their_duration_clock()
    {
        // List 4, child 10692868: started Thu 16 May 2019; Mon 27 May (spring bank holiday) is skipped, so the
        // 45th working day is Fri 19 Jul 2019. Authorised 8 Feb 2021, its outcome cell reading "CS Assessment Updated".
        var tenant = await ImportAnnexA("liia-tools-annex-a-sample.xlsx", "e2e-liia-outcome");

        var clock = await _clocks.ClockAsync(tenant, "10692868", "assessment-duration", "A4-10692868-2019-05-16");

        (clock.Started, clock.Due, clock.Stopped, clock.Status.Name()).ShouldBe(("2019-05-16", "2019-07-19", "2021-02-08", "late"));
        clock.Explanation.ShouldContain("27 May 2019");
    }

    [Fact]
    public async Task The_breach_list_of_an_imported_tenant_holds_its_open_breached_clocks_and_nothing_unmeasurable()
    {
        var tenant = await ImportAnnexA("liia-tools-annex-a-sample.xlsx", "e2e-liia-breaches");

        var breaches = await _clocks.BreachesAsync(tenant);
        var clocks = await _clocks.ClocksAsync(tenant);

        breaches.Rows.ShouldContain(r => r.Child == "5358472" && r.Rule == "cp-review" && r.Due == "2021-05-08");
        breaches.Rows.Select(r => (r.Child, r.Rule, r.Episode)).ShouldBe(
            clocks.Where(c => c.Status == ClockStatus.Breached).Select(c => (c.Child, c.Rule, c.Episode)), ignoreOrder: true);
        breaches.Rows.ShouldNotContain(r => r.Rule == "referral-decision" || r.Rule == "mash-screening" || r.Rule == "core-group" || r.Rule == "assessment");
        clocks.ShouldContain(c => c.Status == ClockStatus.NotMeasurable);
    }

    [Theory]
    [MemberData(nameof(AnnexAFiles))]
    public async Task Every_annex_a_sample_gives_clocks_and_a_reimport_changes_nothing(string file) =>
        await ImportsThenReimportsUnchanged(() => AnnexAImporter.Import(Samples.AnnexA(file), "e2e-all-" + file, Samples.Today), "e2e-all-" + file);

    [Theory]
    [MemberData(nameof(CinFiles))]
    public async Task Every_cin_census_sample_gives_clocks_and_a_reimport_changes_nothing(string file) =>
        await ImportsThenReimportsUnchanged(() => CinCensusImporter.Import(Samples.Cin(file), "e2e-all-" + file), "e2e-all-" + file);

    private async Task ImportsThenReimportsUnchanged(Func<ImportBatch> read, string tenant)
    {
        var first = await _clocks.ImportAsync(read());
        var clocks = await _clocks.ClocksAsync(tenant);
        var breaches = await _clocks.BreachesAsync(tenant);

        first.EventsAppended.ShouldBeGreaterThan(0);
        clocks.ShouldNotBeEmpty();
        clocks.ShouldAllBe(c => c.Due.Length >= 10 && c.Explanation.Length > 0);
        var notMeasurable = clocks.Where(c => c.Status == ClockStatus.NotMeasurable).Select(c => (c.Child, c.Rule, c.Episode)).ToHashSet();
        breaches.Rows.ShouldAllBe(r => !notMeasurable.Contains(new ValueTuple<string, string, string>(r.Child, r.Rule, r.Episode)));
        breaches.Rows.ShouldAllBe(r => r.Status == ClockStatus.Breached);

        var second = await _clocks.ImportAsync(read());

        second.EventsAppended.ShouldBe(0);
        second.EventsAlreadyPresent.ShouldBe(first.EventsAppended + first.EventsAlreadyPresent);
        (await _clocks.ClocksAsync(tenant)).ShouldBe(clocks);
    }
}
