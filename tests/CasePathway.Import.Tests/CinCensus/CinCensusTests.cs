using System.Xml.Linq;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using CasePathway.Import.CinCensus;
using NodaTime;

namespace CasePathway.Import.Tests.CinCensus;

public class CinCensusTests
{
    public static TheoryData<string> Files() => new(Samples.CinFiles.Select(Path.GetFileName)!);

    private static ImportBatch Import(string file, string? tenant = null) => CinCensusImporter.Import(Samples.Cin(file), tenant);

    private static ImportBatch ImportXml(string xml, string? tenant = null) =>
        new CinCensusImporter(tenant, WorkingCalendar.EnglandAndWales()).Import(XDocument.Parse(xml, LoadOptions.SetLineInfo));

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_public_sample_imports_and_explains_each_rejection(string file)
    {
        var batch = Import(file);

        batch.RowsRead.ShouldBeGreaterThan(0);
        batch.Events.ShouldNotBeEmpty();
        batch.Events.ShouldAllBe(e => e.SourceSystem == "cin-census" && e.RecordedAt == null && e.OccurredAt.IsDateOnly);
        batch.Rejections.ShouldAllBe(r => r.Child != null && r.Row > 0 && r.Column != null && r.Reason.Length > 0);
        batch.Events.Select(e => e.Id).ShouldBeUnique();
        Import(file).Events.ShouldBe(batch.Events);
    }

    [Fact]
    public void The_tenant_is_the_files_LEA_unless_given()
    {
        Import("csc-validator-cin-census-2021.xml").Events.ShouldAllBe(e => e.Tenant == "201");
        Import("csc-validator-cin-census-2021.xml", "357").Events.ShouldAllBe(e => e.Tenant == "357");
    }

    [Fact]
    public void The_error_seeded_2024_file_rejects_the_impossible_assessment_and_episode_and_keeps_the_rest()
    {
        var batch = Import("csc-validator-cin-census-2024.xml");

        batch.Rejections.ShouldBe(
        [
            new Rejection(null, "DfEX0000001", 41, "AssessmentActualStartDate", "2028-04-28 is after the collection's reference date (2024-03-31)"),
            new Rejection(null, "DfEX0000001", 41, "AssessmentAuthorisationDate", "authorised 2020-09-19, before it started (2028-04-28)"),
            new Rejection(null, "child_fails_assessments", 86, "CINreferralDate", "2024-10-24 is after the collection's reference date (2024-03-31)"),
        ]);
        batch.RowsRejected.ShouldBe(2);
        batch.Events.ShouldNotContain(e => e.Data is AssessmentStarted || e.Child == "child_fails_assessments");
        var dfe = batch.Events.Where(e => e.Child == "DfEX0000001").Select(e => (e.OccurredAt.ToString(), e.Data)).ToList();
        dfe.ShouldContain(("2022-10-06", new ReferralReceived("CIN-DfEX0000001-2022-10-06", Source: "1A")));
        dfe.ShouldContain(("2023-02-27", new CaseClosed("CIN-DfEX0000001-2022-10-06")));
        dfe.ShouldContain(("2022-06-02", new Section47Started("CIN-DfEX0000001-S47-2022-06-02", "CIN-DfEX0000001-S47-2022-06-02")));
        dfe.ShouldContain(("2022-06-17", new InitialChildProtectionConferenceHeld("CIN-DfEX0000001-S47-2022-06-02")));
        dfe.ShouldContain(("2022-02-17", new InitialChildProtectionConferenceHeld("CIN-DfEX0000001-CPP-2022-02-17", "CIN-DfEX0000001-CPP-2022-02-17")));
        dfe.ShouldContain(("2023-02-15", new ChildProtectionReviewHeld("CIN-DfEX0000001-CPP-2022-02-17")));
        dfe.ShouldContain(("2023-03-14", new ChildProtectionPlanEnded("CIN-DfEX0000001-CPP-2022-02-17")));
        dfe.ShouldContain(("2023-01-24", new ChildInNeedPlanStarted("CIN-DfEX0000001-CINP-2023-01-24")));
        dfe.ShouldContain(("2023-01-26", new ChildInNeedPlanEnded("CIN-DfEX0000001-CINP-2023-01-24")));
    }

    [Fact]
    public void Cin_plans_start_and_end_and_their_reviews_are_not_measurable_never_breached()
    {
        const string xml = """
            <Message><Header><CollectionDetails><ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails><Source><LEA>999</LEA></Source></Header>
            <Children>
              <Child><ChildIdentifiers><LAchildID>C</LAchildID></ChildIdentifiers>
                <CINdetails><CINreferralDate>2021-05-04</CINreferralDate>
                  <CINPlanDates><CINPlanStartDate>2021-06-01</CINPlanStartDate><CINPlanEndDate>2021-09-30</CINPlanEndDate></CINPlanDates>
                  <CINPlanDates><CINPlanStartDate>2021-10-04</CINPlanStartDate></CINPlanDates>
                  <CINPlanDates><CINPlanStartDate>2021-11-10</CINPlanStartDate><CINPlanEndDate>2021-11-01</CINPlanEndDate></CINPlanDates>
                  <CINPlanDates><CINPlanEndDate>2021-12-01</CINPlanEndDate></CINPlanDates>
                </CINdetails>
              </Child>
            </Children></Message>
            """;

        var batch = ImportXml(xml);

        batch.Events.Where(e => e.Data is not ReferralReceived).Select(e => (e.OccurredAt.ToString(), e.Data, e.SourceKey)).ShouldBe(
        [
            ("2021-06-01", new ChildInNeedPlanStarted("CIN-C-CINP-2021-06-01"), "CINPlanDates/C/2021-06-01"),
            ("2021-09-30", new ChildInNeedPlanEnded("CIN-C-CINP-2021-06-01"), "CINPlanDates/C/2021-09-30"),
            ("2021-10-04", new ChildInNeedPlanStarted("CIN-C-CINP-2021-10-04"), "CINPlanDates/C/2021-10-04"),
        ]);
        batch.Rejections.Select(r => (r.Child, r.Row, r.Column, r.Reason)).ShouldBe(
        [
            ("C", 7, "CINPlanEndDate", "the plan ended (2021-11-01) before it started (2021-11-10)"),
            ("C", 8, "CINPlanStartDate", "is missing: the record has no date to import"),
        ]);
        batch.RowsRead.ShouldBe(5);
        ImportXml(xml).Events.Select(e => e.Id).ShouldBe(batch.Events.Select(e => e.Id));

        // The census records no CIN reviews: the open plan's review clock claims no breach; the ended one is cancelled.
        var clocks = ClockFold.Fold(batch.Events, Rulebook.Default, WorkingCalendar.EnglandAndWales(), Instant.FromUtc(2022, 3, 31, 12, 0))
            .Clocks.Where(c => c.Rule == "cin-review").OrderBy(c => c.Episode).Select(c => (c.Episode, c.Status)).ToList();
        clocks.ShouldBe([("CIN-C-CINP-2021-06-01#1", ClockStatus.Cancelled), ("CIN-C-CINP-2021-10-04#1", ClockStatus.NotMeasurable)]);
    }

    [Fact]
    public void A_source_icpc_target_that_ignores_the_jubilee_is_reported_as_a_warning()
    {
        var warning = Import("csc-validator-cin-census-2024.xml").Warnings.Single();

        warning.Child.ShouldBe("DfEX0000001");
        warning.Field.ShouldBe("InitialCPCtarget");
        warning.Message.ShouldStartWith("the file gives 2022-06-23; 15 working days after the S47 start 2022-06-02 is 2022-06-24");
        warning.Message.ShouldContain("2022-06-03");
    }

    [Fact]
    public void Stray_text_between_elements_does_not_crash_or_leak_into_values()
    {
        // The 2021 fixture has "PersonBirthDate" as loose text after UPNunknown.
        var batch = Import("csc-validator-cin-census-2021.xml");

        batch.Rejections.ShouldBeEmpty();
        batch.Events.ShouldContain(e => e.Data.Equals(new AssessmentAuthorised("CIN-DfEX0000001-A-1970-06-03", AssessmentOutcome.Services)));
    }

    [Fact]
    public void The_2026_schema_with_pre_proceedings_imports_like_2024()
    {
        var a = Import("csc-validator-cin-census-2024.xml").Events;
        var b = Import("csc-validator-cin-census-2026.xml").Events;

        b.ShouldBe(a);
    }

    [Fact]
    public void An_nfa_referral_closed_the_day_it_came_in_records_the_decision_that_day_and_only_then()
    {
        const string xml = """
            <Message><Header><CollectionDetails><ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails><Source><LEA>999</LEA></Source></Header>
            <Children>
              <Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>
                <CINdetails><CINreferralDate>2021-05-04</CINreferralDate><CINclosureDate>2021-05-04</CINclosureDate><ReferralNFA>1</ReferralNFA></CINdetails>
                <CINdetails><CINreferralDate>2021-06-01</CINreferralDate><CINclosureDate>2021-06-09</CINclosureDate><ReferralNFA>true</ReferralNFA></CINdetails>
              </Child>
            </Children></Message>
            """;

        var decisions = ImportXml(xml).Events.Where(e => e.Data is ReferralDecisionMade).ToList();

        decisions.Single().Data.ShouldBe(new ReferralDecisionMade("CIN-A-2021-05-04", ReferralOutcome.Nfa));
        decisions.Single().OccurredAt.ShouldBe(Occurrence.On(new LocalDate(2021, 5, 4)));
    }

    [Fact]
    public void Impossible_records_are_rejected_with_child_and_reason_and_the_rest_kept()
    {
        const string xml = """
            <Message><Header><CollectionDetails><ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails><Source><LEA>999</LEA></Source></Header>
            <Children>
              <Child><ChildIdentifiers><LAchildID>  </LAchildID></ChildIdentifiers></Child>
              <Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers>
                <CINdetails><CINreferralDate>2021-05-04</CINreferralDate><CINclosureDate>2021-05-01</CINclosureDate>
                  <Assessments><AssessmentActualStartDate>2021-05-05</AssessmentActualStartDate><AssessmentAuthorisationDate>2021-06-30</AssessmentAuthorisationDate>
                    <FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
                  <Section47><S47ActualStartDate>2021-05-10</S47ActualStartDate><DateOfInitialCPC>2021-05-07</DateOfInitialCPC></Section47>
                  <ChildProtectionPlans><CPPstartDate>2021-06-01</CPPstartDate><CPPendDate>not a date</CPPendDate></ChildProtectionPlans>
                </CINdetails>
              </Child>
            </Children></Message>
            """;

        var batch = ImportXml(xml);

        batch.Rejections.Select(r => (r.Child, r.Row, r.Column, r.Reason)).ShouldBe(
        [
            (null, 3, "LAchildID", "the child id is blank"),
            ("B", 5, "CINclosureDate", "2021-05-01 is before the referral (2021-05-04)"),
            ("B", 8, "DateOfInitialCPC", "the conference (2021-05-07) is before the enquiry started (2021-05-10)"),
            ("B", 9, "CPPendDate", "'not a date' is not a date (yyyy-MM-dd)"),
        ]);
        batch.Events.Select(e => e.Data).ShouldBe(
        [
            new ReferralReceived("CIN-B-2021-05-04"),
            new AssessmentStarted("CIN-B-A-2021-05-05", "CIN-B-2021-05-04"),
            new AssessmentAuthorised("CIN-B-A-2021-05-05", AssessmentOutcome.Nfa),
        ]);
    }

    [Fact]
    public void Not_xml_and_not_a_census_are_clear_errors()
    {
        using var folder = new TempFolder();
        Should.Throw<ImportFileException>(() => CinCensusImporter.Import(folder.Write("c.xml", "Child,Date\n"), null))
            .Message.ShouldStartWith("c.xml is not a readable XML file");
        Should.Throw<ImportFileException>(() => CinCensusImporter.Import(folder.Write("d.xml", "<Workbook/>"), null))
            .Message.ShouldBe("Not a CIN census file: expected <Message> with <Header> and <Children>.");
        Should.Throw<ImportFileException>(() => ImportXml("<Message><Children/></Message>"))
            .Message.ShouldBe("The file has no Header/Source/LEA: give the tenant with --tenant LA.");
    }
}
