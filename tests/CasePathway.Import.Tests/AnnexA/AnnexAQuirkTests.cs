using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Import.AnnexA;
using NodaTime;

namespace CasePathway.Import.Tests.AnnexA;

/// <summary>The quirks users of the public Annex A tools report most, each in a small generated CSV folder.</summary>
public class AnnexAQuirkTests
{
    private static ImportBatch Import(TempFolder folder) => AnnexAImporter.Import(folder.Path, "357", Samples.Today);

    [Theory]
    [InlineData("List 1.csv")]
    [InlineData("List_1.csv")]
    [InlineData("List 1 - Contacts.csv")]
    [InlineData("annex a list1 contacts.csv")]
    public void Renamed_sheets_are_recognised(string name)
    {
        using var folder = new TempFolder();
        folder.Write(name, "Child Unique ID,Date of Contact,Contact Source\n42,16/09/2020,q) 6: Police\n");

        var batch = Import(folder);

        batch.Events.Single().Data.ShouldBe(new ContactReceived("A1-42-2020-09-16", ContactRoute.Unknown, "police"));
    }

    [Theory]
    [InlineData("List 10.csv")]
    [InlineData("Front sheet.csv")]
    public void A_folder_with_no_list_1_to_8_is_a_clear_error(string name)
    {
        using var folder = new TempFolder();
        folder.Write(name, "Child Unique ID,Date\n1,2020-01-01\n");

        Should.Throw<ImportFileException>(() => Import(folder)).Message.ShouldStartWith("No Annex A list found");
    }

    [Fact]
    public void A_missing_child_id_column_is_a_clear_error()
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", "Child,Date of referral\n1,2020-01-01\n");

        Should.Throw<ImportFileException>(() => Import(folder)).Message
            .ShouldBe("Sheet 'List 3' (list 3) has no 'Child Unique ID' column in its first 15 rows (its first row reads: Child, Date of referral).");
    }

    [Fact]
    public void Headers_match_despite_case_punctuation_spacing_curly_quotes_and_a_missing_question_mark()
    {
        using var folder = new TempFolder();
        folder.Write("List 4.csv",
            "  CHILD unique id ,continuous assessment   start date,Continuous Assessment Date of Authorisation ," +
            "Was the child assessed as requiring LA children’s social care support,allocated team\n" +
            "7,2020-09-01,2020-10-01,a) Yes,Team A\n");

        var batch = Import(folder);

        batch.Rejections.ShouldBeEmpty();
        batch.Events.Select(e => e.Data).ShouldBe(
        [
            new AssessmentStarted("A4-7-2020-09-01"),
            new AssessmentAuthorised("A4-7-2020-09-01", AssessmentOutcome.Services),
            new CaseAllocated("Team A", null),
        ]);
    }

    [Fact]
    public void An_authorised_assessment_with_a_blank_or_unreadable_outcome_keeps_its_dates_with_the_outcome_unknown()
    {
        using var folder = new TempFolder();
        folder.Write("List 4.csv",
            "Child Unique ID,Continuous Assessment Start Date,Continuous Assessment Date of Authorisation," +
            "Was the child assessed as requiring LA children's social care support?\n" +
            "1,2020-09-01,2020-10-01,a) Yes\n" +
            "2,2020-09-01,2020-10-01,b) No\n" +
            "3,2020-09-01,2020-10-01,\n" +
            "4,2020-09-01,2020-10-01,CS Assessment Updated\n" +
            "5,2020-09-01,,\n");

        var batch = Import(folder);

        batch.Rejections.ShouldBeEmpty();
        batch.Events.Select(e => e.Data).OfType<AssessmentAuthorised>().Select(a => (a.AssessmentId, a.Outcome)).ShouldBe(
        [
            ("A4-1-2020-09-01", AssessmentOutcome.Services),
            ("A4-2-2020-09-01", AssessmentOutcome.Nfa),
            ("A4-3-2020-09-01", null),
            ("A4-4-2020-09-01", null),
        ]);
        batch.Events.Count(e => e.Data is AssessmentStarted).ShouldBe(5);
        // Only an authorisation needs an outcome: the open assessment (child 5) warns of nothing.
        batch.Warnings.Select(w => (w.Sheet, w.Row, w.Child)).ShouldBe([("List 4", 4, "3"), ("List 4", 5, "4")]);
        batch.Warnings[0].Message.ShouldStartWith("is blank: the assessment and its authorisation are imported with the outcome unknown");
        batch.Warnings[1].Message.ShouldStartWith("'CS Assessment Updated' does not say yes or no");

        using var summary = System.Text.Json.JsonDocument.Parse(ImportSummary.Of(batch, new AppendCounts(batch.Events.Count, 0)).ToJson());
        var warning = summary.RootElement.GetProperty("warnings")[0];
        (warning.GetProperty("sheet").GetString(), warning.GetProperty("row").GetInt32(), warning.GetProperty("child").GetString(), warning.GetProperty("field").GetString())
            .ShouldBe(("List 4", 4, "3", "Was the child assessed as requiring LA children's social care support?"));
        summary.RootElement.GetProperty("rowsRejected").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void A_missing_date_column_skips_the_sheet_with_a_rejection_and_keeps_the_other_lists()
    {
        using var folder = new TempFolder();
        folder.Write("List 1.csv", "Child Unique ID,Contact Source\n1,Police\n");
        folder.Write("List 3.csv", "Child Unique ID,Date of referral\n1,2020-01-01\n");

        var batch = Import(folder);

        batch.Rejections.Single().ShouldBe(new Rejection("List 1", null, 0, "Date of Contact",
            "no 'Date of Contact' column: the sheet's rows were not imported (headers: Child Unique ID, Contact Source)"));
        batch.Events.Single().Data.ShouldBe(new ReferralReceived("A3-1-2020-01-01"));
    }

    [Fact]
    public void Extra_columns_are_ignored_and_duplicate_columns_read_whichever_copy_has_a_value()
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv",
            "Notes,Child Unique ID,Date of referral,Date of referral,Referral Source,Favourite colour\n" +
            "x,1,2020-01-01,,Police,red\n" +
            "y,2,,2020-01-02,Police,blue\n" +
            "z,3,2020-01-03,2020-01-03,Police,green\n" +
            "w,4,2020-01-04,2020-01-05,Police,green\n");

        var batch = Import(folder);

        batch.Events.Select(e => ((ReferralReceived)e.Data).ReferralId).ShouldBe(["A3-1-2020-01-01", "A3-2-2020-01-02", "A3-3-2020-01-03"]);
        batch.Rejections.Single().ShouldBe(new Rejection("List 3", "4", 5, "Date of referral",
            "the column appears more than once and its copies disagree ('2020-01-04' and '2020-01-05')"));
    }

    [Fact]
    public void Blank_child_ids_are_rejected_by_row_and_whole_blank_rows_are_skipped_silently()
    {
        using var folder = new TempFolder();
        folder.Write("List 1.csv",
            "Child Unique ID,Date of Contact\n" +
            "1,2020-01-01\n" +
            ",,\n" +
            "\n" +
            ",2020-01-02\n" +
            "#N/A,2020-01-03\n" +
            "2,2020-01-04\n");

        var batch = Import(folder);

        batch.RowsRead.ShouldBe(4);
        batch.Events.Count.ShouldBe(2);
        batch.Rejections.ShouldBe(
        [
            new Rejection("List 1", null, 5, "Child Unique ID", "the child id is blank"),
            new Rejection("List 1", null, 6, "Child Unique ID", "the child id is blank"),
        ]);
        batch.RowsRejected.ShouldBe(2);
    }

    [Theory]
    [InlineData("44090")]
    [InlineData("44090.0")]
    [InlineData("44090.75")]
    [InlineData("16/09/2020")]
    [InlineData("16/9/2020")]
    [InlineData("2020-09-16")]
    [InlineData("16-Sep-2020")]
    [InlineData("16 September 2020")]
    [InlineData("16.09.2020")]
    [InlineData("16/09/2020 00:00:00")]
    [InlineData("2020-09-16T00:00:00")]
    public void Dates_come_as_excel_serials_or_text_in_several_formats(string text)
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", $"Child Unique ID,Date of referral\n1,\"{text}\"\n");

        Import(folder).Events.Single().OccurredAt.ShouldBe(Occurrence.On(new LocalDate(2020, 9, 16)));
    }

    [Theory]
    [InlineData("next tuesday", "'next tuesday' is not a date (expected e.g. 16/09/2020, 2020-09-16 or an Excel date)")]
    [InlineData("31/02/2020", "'31/02/2020' is not a date (expected e.g. 16/09/2020, 2020-09-16 or an Excel date)")]
    [InlineData("2026-01-01", "2026-01-01 is in the future")]
    [InlineData("", "is blank: the row has no date to import")]
    [InlineData("#N/A", "is blank: the row has no date to import")]
    public void Unreadable_dates_reject_the_row_naming_the_column(string text, string reason)
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", $"Child Unique ID,Date of referral\n1,{text}\n2,2020-01-01\n");

        var batch = Import(folder);

        batch.Rejections.ShouldBe([new Rejection("List 3", "1", 2, "Date of referral", reason)]);
        batch.Events.Single().Child.ShouldBe("2");
    }

    [Fact]
    public void Trailing_decimals_in_ids_are_dropped()
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", "Child Unique ID,Date of referral\n1001.0,2020-01-01\n1001,2020-01-01\n");

        var batch = Import(folder);

        batch.Events.Single().Child.ShouldBe("1001");
    }

    [Fact]
    public void An_end_before_its_start_rejects_the_row()
    {
        using var folder = new TempFolder();
        folder.Write("List 8.csv", "Child Unique ID,Date Started to be Looked After,Date Ceased to be Looked After\n5,2020-03-01,2020-02-01\n");

        var batch = Import(folder);

        batch.Events.ShouldBeEmpty();
        batch.Rejections.Single().Reason.ShouldBe("2020-02-01 is before the row's start (Date Started to be Looked After: 2020-03-01)");
    }

    [Fact]
    public void Lists_6_to_8_give_closure_plan_and_looked_after_events_on_linked_episodes()
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", "Child Unique ID,Date of referral,Referral Source\n9,2020-01-06,Police\n");
        folder.Write("List 5.csv",
            "Child Unique ID,Strategy discussion initiating Section 47 Enquiry Start Date,Was an Initial Child Protection Conference deemed unnecessary?," +
            "Date of Initial Child Protection Conference,Did the Initial Child Protection Conference Result in a Child Protection Plan\n" +
            "9,2020-01-08,No,2020-01-27,Yes\n");
        folder.Write("List 6.csv", "Child Unique ID,CIN Start Date,CIN Closure Date\n9,2020-01-06,2020-12-01\n");
        folder.Write("List 7.csv",
            "Child Unique ID,Child Protection Plan Start Date,Date of latest review conference,Child Protection Plan End Date\n9,2020-01-27,2020-04-20,2020-11-30\n");
        folder.Write("List 8.csv", "Child Unique ID,Date Started to be Looked After,Date of Latest Statutory Review\n9,2020-06-01,2020-06-25\n");

        var batch = Import(folder);

        batch.Rejections.ShouldBeEmpty();
        batch.Events.Select(e => (e.OccurredAt.ToString(), e.Data)).ShouldBe(
        [
            ("2020-01-06", new ReferralReceived("A3-9-2020-01-06", Source: "police")),
            ("2020-01-08", new StrategyDiscussionHeld("A5-9-2020-01-08", StrategyOutcome.S47)),
            ("2020-01-08", new Section47Started("A5-9-2020-01-08", "A5-9-2020-01-08")),
            ("2020-01-27", new InitialChildProtectionConferenceHeld("A5-9-2020-01-08", "A7-9-2020-01-27")),
            // List 6's referral is list 3's: only the closure is new.
            ("2020-12-01", new CaseClosed("A3-9-2020-01-06")),
            ("2020-04-20", new ChildProtectionReviewHeld("A7-9-2020-01-27")),
            ("2020-11-30", new ChildProtectionPlanEnded("A7-9-2020-01-27")),
            ("2020-06-01", new BecameLookedAfter("A8-9-2020-06-01")),
            ("2020-06-25", new LookedAfterReviewHeld("A8-9-2020-06-01")),
        ]);
    }

    [Fact]
    public void Early_help_start_and_completion_share_an_episode()
    {
        using var folder = new TempFolder();
        folder.Write("List 2.csv", "Child Unique ID,Assessment start date,Assessment completion date\n3,2020-02-03,2020-03-02\n4,2020-02-04,\n");

        var batch = Import(folder);

        batch.Events.Select(e => e.Data).ShouldBe(
        [
            new EarlyHelpConsentGiven("A2-3-2020-02-03"),
            new EarlyHelpAssessmentCompleted("A2-3-2020-02-03"),
            new EarlyHelpConsentGiven("A2-4-2020-02-04"),
        ]);
    }

    [Fact]
    public void Two_contacts_about_a_child_on_one_day_are_two_contacts()
    {
        using var folder = new TempFolder();
        folder.Write("List 1.csv", "Child Unique ID,Date of Contact\n1,2020-01-01\n1,2020-01-01\n");

        Import(folder).Events.Select(e => ((ContactReceived)e.Data).ContactId).ShouldBe(["A1-1-2020-01-01", "A1-1-2020-01-01-2"]);
    }

    [Fact]
    public void Semicolon_separated_files_are_read()
    {
        using var folder = new TempFolder();
        folder.Write("List 3.csv", "Child Unique ID;Date of referral\n1;2020-01-01\n2;2020-01-02\n");

        Import(folder).Events.Count.ShouldBe(2);
    }
}
