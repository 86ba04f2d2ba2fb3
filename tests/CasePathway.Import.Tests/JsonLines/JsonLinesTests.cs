using CasePathway.Import.JsonLines;

namespace CasePathway.Import.Tests.JsonLines;

public class JsonLinesTests
{
    private static string Line(int n, string child = "C1", string data = """{"contactId":"K1","route":"mash"}""") =>
        $$"""{"id":"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b{{n:x4}}","tenant":"357","child":"{{child}}","type":"ContactReceived","occurredAt":"2022-10-03T09:15:00+01:00","data":{{data}}}""";

    [Fact]
    public void A_good_file_gives_every_event_and_blank_lines_are_skipped()
    {
        var batch = JsonLinesImporter.Read(new StringReader(Line(1) + "\n\n" + Line(2, "C2") + "\n"));

        batch.Rejections.ShouldBeEmpty();
        batch.RowsRead.ShouldBe(2);
        batch.Events.Select(e => e.Child).ShouldBe(["C1", "C2"]);
    }

    [Fact]
    public void A_file_with_a_bad_line_gives_no_events_and_names_every_bad_line()
    {
        var text = string.Join('\n', Line(1), Line(2, data: """{"route":"mash"}"""), "{not json", Line(4), Line(5, data: """{"contactId":"K1","route":"post"}"""));

        var batch = JsonLinesImporter.Read(new StringReader(text));

        batch.Events.ShouldBeEmpty();
        batch.RowsRead.ShouldBe(5);
        batch.RowsRejected.ShouldBe(3);
        batch.Rejections.Select(r => (r.Row, r.Column)).ShouldBe([(2, "data.contactId"), (3, "$"), (5, "data.route")]);
        batch.Rejections[1].Reason.ShouldStartWith("malformed JSON at line 1, position 2");
        batch.Rejections[2].Reason.ShouldBe("'post' is not one of mash, ehap, unknown");
    }

    [Fact]
    public void The_same_id_twice_is_one_event_when_equal_and_a_rejection_when_not()
    {
        JsonLinesImporter.Read(new StringReader(Line(1) + "\n" + Line(1))).Events.Count.ShouldBe(1);

        var conflict = JsonLinesImporter.Read(new StringReader(Line(1) + "\n" + Line(1, "C9")));

        conflict.Events.ShouldBeEmpty();
        conflict.Rejections.Single().ShouldBe(new Rejection(null, "C9", 2, "id", "the same id as line 1 with different content"));
    }

    [Fact]
    public void A_missing_file_is_a_clear_error() =>
        Should.Throw<ImportFileException>(() => JsonLinesImporter.Read("/nonexistent/e.jsonl")).Message.ShouldBe("/nonexistent/e.jsonl does not exist.");
}
