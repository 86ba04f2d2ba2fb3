using CasePathway.Domain.Events;
using CasePathway.Import.JsonLines;
using CasePathway.Tests.Shared;
using CsCheck;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Import.Tests.JsonLines;

/// <summary>An appender that keeps what it is given, one list per transaction, as the store would commit them.</summary>
internal sealed class RecordingAppender
{
    public List<IReadOnlyList<PathwayEvent>> Batches { get; } = [];

    public IEnumerable<PathwayEvent> Events => Batches.SelectMany(b => b);

    public Task<AppendCounts> AppendAsync(IReadOnlyList<PathwayEvent> events, CancellationToken ct)
    {
        Batches.Add(events);
        return Task.FromResult(new AppendCounts(events.Count, 0));
    }
}

public class JsonLinesTests
{
    private static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2024-03-14T10:00:00Z").Value;

    internal static string Line(int n, string child = "C1", string data = """{"contactId":"K1","route":"mash"}""", string occurredAt = "2022-10-03T09:15:00+01:00") =>
        $$"""{"id":"0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b{{n:x4}}","tenant":"357","child":"{{child}}","type":"ContactReceived","occurredAt":"{{occurredAt}}","data":{{data}}}""";

    private static async Task<(ImportSummary Summary, RecordingAppender Appender)> Import(string text, ImportLimits? limits = null)
    {
        var appender = new RecordingAppender();
        var summary = await JsonLinesImporter.ImportAsync(() => new StringReader(text), appender.AppendAsync, Now, limits);
        return (summary, appender);
    }

    [Fact]
    public async Task A_good_file_gives_every_event_and_blank_lines_are_skipped()
    {
        var (summary, appender) = await Import(Line(1) + "\n\n" + Line(2, "C2") + "\r\n");

        summary.Rejections.ShouldBeEmpty();
        summary.RowsRead.ShouldBe(2);
        summary.EventsAppended.ShouldBe(2);
        appender.Events.Select(e => e.Child).ShouldBe(["C1", "C2"]);
    }

    [Fact]
    public async Task A_file_with_a_bad_line_stores_nothing_and_names_every_bad_line()
    {
        var text = string.Join('\n', Line(1), Line(2, data: """{"route":"mash"}"""), "{not json", Line(4), Line(5, data: """{"contactId":"K1","route":"post"}"""));

        var (summary, appender) = await Import(text);

        appender.Batches.ShouldBeEmpty();
        summary.RowsRead.ShouldBe(5);
        summary.RowsRejected.ShouldBe(3);
        summary.Rejections.Select(r => (r.Row, r.Column)).ShouldBe([(2, "data.contactId"), (3, "$"), (5, "data.route")]);
        summary.Rejections[1].Reason.ShouldStartWith("malformed JSON at line 1, position 2");
        summary.Rejections[2].Reason.ShouldBe("'post' is not one of mash, ehap, unknown");
    }

    [Fact]
    public async Task The_same_id_twice_is_one_event_when_equal_and_a_rejection_when_not()
    {
        (await Import(Line(1) + "\n" + Line(1))).Appender.Events.Count().ShouldBe(1);

        var (conflict, appender) = await Import(Line(1) + "\n" + Line(1, "C9"));

        appender.Batches.ShouldBeEmpty();
        conflict.Rejections.Single().ShouldBe(new Rejection(null, "C9", 2, "id", "the same id as line 1 with different content"));
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error() =>
        (await Should.ThrowAsync<ImportFileException>(() => JsonLinesImporter.ImportAsync("/nonexistent/e.jsonl", new RecordingAppender().AppendAsync)))
            .Message.ShouldBe("/nonexistent/e.jsonl does not exist.");

    public static TheoryData<string, string, string> DoorRejections => new()
    {
        { Line(1, child: "a/b"), "child", "'/'" },
        { Line(1, child: new string('C', 65)), "child", "at most 64" },
        { Line(1, data: $$"""{"contactId":"{{new string('K', 201)}}","route":"mash"}"""), "data.contactId", "at most 200" },
        { Line(1, data: """{"contactId":"K1","route":"mash","source":"po\u0000lice"}"""), "data.source", "NUL" },
        { Line(1, occurredAt: "1900-01-01T00:00:00Z"), "occurredAt", "before 1970-01-01" },
        { Line(1, occurredAt: "2024-03-15"), "occurredAt", "in the future" },
        { Line(1).Replace("0b9c3a52-5d0e-4f7e-9d43-3c0f5e7b0001", "00000000-0000-0000-0000-000000000000"), "id", "nil UUID" },
    };

    [Theory]
    [MemberData(nameof(DoorRejections))]
    public async Task A_line_beyond_the_doors_limits_is_rejected_naming_line_and_field(string line, string field, string says)
    {
        var (summary, appender) = await Import(Line(7) + "\n" + line);
        appender.Batches.ShouldBeEmpty();
        var rejection = summary.Rejections.ShouldHaveSingleItem();
        (rejection.Row, rejection.Column).ShouldBe((2, field));
        rejection.Reason.ShouldContain(says);
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_rejected_without_being_read_whole()
    {
        var limits = ImportLimits.Default with { MaxLineCharacters = 1000 };
        var (summary, appender) = await Import(Line(1) + "\n" + new string(' ', 500) + new string('x', 5000) + "\n" + Line(3), limits);
        appender.Batches.ShouldBeEmpty();
        var rejection = summary.Rejections.ShouldHaveSingleItem();
        (rejection.Row, rejection.Column).ShouldBe((2, "$"));
        rejection.Reason.ShouldContain("longer than 1,000 characters");
    }

    [Fact]
    public async Task Only_the_first_thousand_problems_are_listed_but_every_rejected_line_counts()
    {
        var (summary, _) = await Import(string.Join('\n', Enumerable.Repeat("{", 1500)));
        summary.RowsRejected.ShouldBe(1500);
        summary.Rejections.Count.ShouldBe(JsonLinesImporter.MaxListedRejections + 1);
        summary.Rejections[^1].Reason.ShouldBe("and 500 more problems, not listed: correct the ones above first");
    }

    [Fact]
    public async Task Events_are_committed_in_batches_of_the_configured_size()
    {
        // the batch size is what keeps memory and each transaction flat in the size of the file (docs/import.md);
        // memory itself is measured in the benchmarks, not in a timed test
        var lines = string.Join('\n', Enumerable.Range(1, 10).Select(n => Line(n, child: $"C{n}")));
        var (summary, appender) = await Import(lines, ImportLimits.Default with { BatchEvents = 3 });
        appender.Batches.Select(b => b.Count).ShouldBe([3, 3, 3, 1]);
        appender.Events.Select(e => e.Child).ShouldBe(Enumerable.Range(1, 10).Select(n => $"C{n}"));
        summary.EventsAppended.ShouldBe(10);
    }

    [Theory]
    [InlineData("a\nb\r\nc\rd", new[] { "a", "b", "c", "d" })]
    [InlineData("a\n\nb\n", new[] { "a", "", "b" })]
    [InlineData("", new string[0])]
    [InlineData("\r\n", new[] { "" })]
    public void Lines_end_where_ReadLine_would_end_them(string text, string[] lines)
    {
        JsonLinesImporter.Lines(new StringReader(text), 100).Select(l => l.Text).ShouldBe(lines);
        var reader = new StringReader(text);
        var expected = new List<string>();
        while (reader.ReadLine() is { } line) expected.Add(line);
        lines.ShouldBe(expected);
    }

    [Fact]
    public async Task Random_and_mutated_files_end_in_rejections_or_appends_never_an_exception()
    {
        var file = Fuzz.Either(
            (1, Fuzz.Text),
            (3, Gen.Int[1, 5].SelectMany(n => Fuzz.Mutated(string.Join('\n', Enumerable.Range(1, n).Select(i => Line(i, child: $"C{i}")))))));
        await file.SampleAsync(async text =>
        {
            var (summary, appender) = await Import(text, ImportLimits.Default with { BatchEvents = 2 });
            if (summary.RowsRejected > 0 && appender.Batches.Count > 0) throw new ShouldAssertException("a file with a rejected line stored events");
            if (summary.RowsRejected == 0 && summary.EventsAppended != appender.Events.Count()) throw new ShouldAssertException("the counts disagree with what was appended");
            foreach (var e in appender.Events)
                if (DoorLimits.Check(e, Now).Count > 0) throw new ShouldAssertException($"an event beyond the limits was appended: {EventJson.Serialize(e)}");
        }, iter: Fuzz.Iterations(1000), seed: Fuzz.Seed);
    }
}
