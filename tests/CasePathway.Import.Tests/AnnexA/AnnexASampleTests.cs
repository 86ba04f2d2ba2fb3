using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Import.AnnexA;
using NodaTime;

namespace CasePathway.Import.Tests.AnnexA;

public class AnnexASampleTests
{
    public static TheoryData<string> Files() => new(Samples.AnnexAFiles.Select(Path.GetFileName)!);

    private static ImportBatch Import(string file) => AnnexAImporter.Import(Samples.AnnexA(file), "999", Samples.Today);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_public_sample_imports_and_explains_each_rejection(string file)
    {
        var batch = Import(file);

        batch.RowsRead.ShouldBeGreaterThan(0);
        batch.Events.ShouldNotBeEmpty();
        batch.Events.ShouldAllBe(e => e.SourceSystem == "annex-a" && e.Tenant == "999" && e.RecordedAt == null && e.OccurredAt.IsDateOnly);
        batch.Rejections.ShouldAllBe(r => r.Sheet != null && r.Row > 0 && r.Column != null && r.Reason.Length > 0);
        batch.Events.Select(e => e.Id).ShouldBeUnique();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Importing_the_same_file_twice_gives_the_same_events(string file) =>
        Import(file).Events.ShouldBe(Import(file).Events);

    [Fact]
    public void Liia_list_5_gives_strategy_discussion_s47_and_conference_linked_to_the_plan()
    {
        var events = Import("liia-tools-annex-a-sample.xlsx").Events.Where(e => e.Child == "11641472").ToList();
        var s47Date = new LocalDate(2020, 9, 16); // serial 44090
        var icpcDate = new LocalDate(2020, 10, 5); // serial 44109

        var id = "A5-11641472-2020-09-16";
        events.ShouldContain(e => e.OccurredAt == Occurrence.On(s47Date) && e.Data.Equals(new StrategyDiscussionHeld(id, StrategyOutcome.S47, null)));
        events.ShouldContain(e => e.OccurredAt == Occurrence.On(s47Date) && e.Data.Equals(new Section47Started(id, id)));
        events.ShouldContain(e => e.OccurredAt == Occurrence.On(icpcDate)
            && e.Data.Equals(new InitialChildProtectionConferenceHeld(id, "A7-11641472-2020-10-05", null)));
        events.ShouldContain(e => e.Data.Equals(new CaseAllocated("Children with Disabilities Team", "Delta Arthur")));
    }

    [Fact]
    public void Liia_coded_and_plain_sources_read_the_same_and_routes_are_unknown()
    {
        var contacts = Import("liia-tools-annex-a-sample.xlsx").Events.Select(e => e.Data).OfType<ContactReceived>().ToList();

        contacts.ShouldContain(c => c.Source == "police");
        contacts.ShouldAllBe(c => c.Route == ContactRoute.Unknown);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_assessment_of_every_sample_is_kept_with_its_start_and_authorisation(string file)
    {
        // Counted from the workbook itself: each list 4 row with a child and a start date, and those of them
        // with an authorisation date.
        var rows = AnnexASource.Read(Samples.AnnexA(file))
            .Where(s => AnnexAColumns.ListNumber(s.Name) == 4)
            .Select(s => ListTable.Locate(s, 4)).OfType<ListTable>()
            .SelectMany(t => t.DataRows.Where(r => !r.IsBlank).Select(r => (Table: t, Row: r)))
            .Where(x => CellText.Id(x.Table.Cell(x.Row, AnnexAColumns.Child).Value) is not null)
            .ToList();
        var started = rows.Count(x => CellText.Date(x.Table.Cell(x.Row, AnnexAColumns.Start).Value).Date is not null);
        var authorised = rows.Count(x => CellText.Date(x.Table.Cell(x.Row, AnnexAColumns.End).Value).Date is not null);

        var batch = Import(file);

        batch.Rejections.ShouldNotContain(r => AnnexAColumns.ListNumber(r.Sheet!) == 4);
        batch.Events.Count(e => e.Data is AssessmentStarted).ShouldBe(started);
        batch.Events.Count(e => e.Data is AssessmentAuthorised).ShouldBe(authorised);
    }

    [Theory]
    [InlineData("liia-tools-annex-a-sample.xlsx", "List 4", 5, "'CS Assessment Updated' does not say yes or no")]
    [InlineData("liia-tools-pipeline-annex-a-2024-jan.xlsx", "List 4", 5, "'CS Assessment Updated' does not say yes or no")]
    [InlineData("child-event-journeys-example.xlsx", "List_4", 3, "is blank")]
    public void Authorised_assessments_without_a_readable_outcome_are_imported_with_it_unknown_and_a_warning(string file, string sheet, int rows, string said)
    {
        var batch = Import(file);

        var warnings = batch.Warnings.Where(w => w.Sheet == sheet).ToList();
        warnings.Count.ShouldBe(rows);
        warnings.ShouldAllBe(w => w.Row > 1 && w.Field.StartsWith("Was the child assessed as requiring LA children") && w.Message.StartsWith(said));
        foreach (var w in warnings)
        {
            var authorised = batch.Events.Where(e => e.Child == w.Child && e.Data is AssessmentAuthorised).ShouldHaveSingleItem();
            ((AssessmentAuthorised)authorised.Data).Outcome.ShouldBeNull();
            batch.Events.ShouldContain(e => e.Child == w.Child && e.Data.Equals(new AssessmentStarted(((AssessmentAuthorised)authorised.Data).AssessmentId, null)));
        }
    }

    [Fact]
    public void Template_with_title_rows_finds_its_headers_and_reads_text_yes_no()
    {
        var batch = Import("ofsted-annex-a-template-aug2019-sample.xlsx");

        batch.RowsRead.ShouldBe(5);
        batch.Events.Count(e => e.Data is ReferralReceived).ShouldBe(5);
        batch.Rejections.ShouldBeEmpty();
    }

    [Fact]
    public void Journeys_link_a_plan_to_its_conference_and_reject_an_s47_row_without_a_date()
    {
        var batch = Import("child-event-journeys-example.xlsx");

        batch.Rejections.ShouldContain(r => r.Sheet == "List_5" && r.Child == "2547" && r.Row == 4
            && r.Column == "Strategy discussion initiating Section 47 Enquiry Start Date");
        // Child 4444's plan (list 7) started 2019-03-04 with no list 5 conference that day: the plan still has its start.
        batch.Events.ShouldContain(e => e.Child == "4444" && e.Data.Equals(new InitialChildProtectionConferenceHeld("A7-4444-2019-03-04", "A7-4444-2019-03-04", null)));
        batch.Events.ShouldContain(e => e.Child == "4444" && e.Data.Equals(new ChildProtectionPlanEnded("A7-4444-2019-03-04")));
    }

    [Fact]
    public void A_file_that_is_not_a_workbook_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var fake = folder.Write("lists.xlsx", "Child Unique ID,Date of Contact\n1,2020-01-01\n");

        var error = Should.Throw<ImportFileException>(() => AnnexAImporter.Import(fake, "999", Samples.Today));

        error.Message.ShouldStartWith("lists.xlsx is not a readable Excel workbook (.xlsx or .xls)");
    }

    [Fact]
    public void A_single_csv_file_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var csv = folder.Write("List 1.csv", "Child Unique ID,Date of Contact\n1,2020-01-01\n");

        Should.Throw<ImportFileException>(() => AnnexAImporter.Import(csv, "999", Samples.Today))
            .Message.ShouldContain("single CSV file");
    }

    [Fact]
    public void A_missing_file_is_a_clear_error() =>
        Should.Throw<ImportFileException>(() => AnnexAImporter.Import("/nonexistent/annex.xlsx", "999", Samples.Today))
            .Message.ShouldBe("/nonexistent/annex.xlsx does not exist.");
}
