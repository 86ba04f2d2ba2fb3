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

    [Fact]
    public void Liia_list_4_rows_without_a_readable_outcome_are_rejected_whole_with_the_reason()
    {
        var batch = Import("liia-tools-annex-a-sample.xlsx");

        var rejection = batch.Rejections.First(r => r.Sheet == "List 4");
        rejection.Child.ShouldBe("10692868");
        rejection.Row.ShouldBe(2);
        rejection.Reason.ShouldContain("'CS Assessment Updated' does not say yes or no");
        batch.Events.ShouldNotContain(e => e.Child == "10692868" && e.Data is AssessmentStarted);
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
