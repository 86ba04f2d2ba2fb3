using CasePathway.Import.AnnexA;
using CasePathway.Import.CinCensus;
using CasePathway.Import.JsonLines;
using CasePathway.Store;
using CasePathway.Testing;

namespace CasePathway.Import.Tests;

/// <summary>Imports into a real PostgreSQL database: counts, and a re-import that appends nothing.</summary>
public class EndToEndTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private ImportRunner Runner => new(db.Appender());

    private Task<AppendCounts> Append(IReadOnlyList<Domain.Events.PathwayEvent> events, CancellationToken ct) => ImportAppend.RunAsync(db.Appender(), events, ct);

    [Fact]
    public async Task Annex_a_sample_imports_then_a_reimport_appends_nothing()
    {
        var batch = AnnexAImporter.Import(Samples.AnnexA("liia-tools-annex-a-sample.xlsx"), "e2e-annex", Samples.Today);

        var first = await Runner.RunAsync(batch);
        var second = await Runner.RunAsync(AnnexAImporter.Import(Samples.AnnexA("liia-tools-annex-a-sample.xlsx"), "e2e-annex", Samples.Today));

        first.EventsAppended.ShouldBe(batch.Events.Count);
        first.EventsAlreadyPresent.ShouldBe(0);
        first.RowsRejected.ShouldBe(batch.RowsRejected);
        second.EventsAppended.ShouldBe(0);
        second.EventsAlreadyPresent.ShouldBe(batch.Events.Count);

        var stream = await db.EventStore.ReadStreamAsync("e2e-annex", "11641472");
        stream.ShouldNotBeEmpty();
        stream.ShouldAllBe(e => e.RecordedAtInferred && e.SourceSystem == "annex-a");
        stream.Select(e => e.ToPathwayEvent()).ShouldBe(batch.Events.Where(e => e.Child == "11641472").Select(e => e with { RecordedAt = e.OccurredAt.ToInstant() }), ignoreOrder: true);
    }

    [Fact]
    public async Task Next_months_overlapping_workbook_appends_only_what_is_new()
    {
        // The pipeline's 2024 copy holds the same rows as the liia sample (only list 9 headers differ).
        var tenant = "e2e-overlap";
        await Runner.RunAsync(AnnexAImporter.Import(Samples.AnnexA("liia-tools-annex-a-sample.xlsx"), tenant, Samples.Today));

        var next = await Runner.RunAsync(AnnexAImporter.Import(Samples.AnnexA("liia-tools-pipeline-annex-a-2024-jan.xlsx"), tenant, Samples.Today));

        next.EventsAppended.ShouldBe(0);
        next.EventsAlreadyPresent.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Cin_census_sample_imports_then_a_reimport_appends_nothing()
    {
        var path = Samples.Cin("csc-validator-fake-cin-data.xml");
        var batch = CinCensusImporter.Import(path, "e2e-cin");

        var first = await Runner.RunAsync(batch);
        var second = await Runner.RunAsync(CinCensusImporter.Import(path, "e2e-cin"));

        first.RowsRead.ShouldBe(402);
        first.EventsAppended.ShouldBe(batch.Events.Count);
        second.EventsAppended.ShouldBe(0);
        second.EventsAlreadyPresent.ShouldBe(batch.Events.Count);
    }

    [Fact]
    public async Task Json_lines_events_without_recordedAt_are_historical_known_from_their_occurrence()
    {
        using var folder = new TempFolder();
        var file = folder.Write("h.jsonl",
            """{"id":"6b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a11","tenant":"e2e-history","child":"H1","type":"ReferralReceived","occurredAt":"2022-07-04","data":{"referralId":"R1"}}""" + "\n" +
            """{"id":"6b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a12","tenant":"e2e-history","child":"H1","type":"ReferralDecisionMade","occurredAt":"2022-07-05T10:30:00+01:00","data":{"referralId":"R1","outcome":"nfa"}}""" + "\n" +
            """{"id":"6b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a13","tenant":"e2e-history","child":"H1","type":"CaseClosed","occurredAt":"2022-07-06","recordedAt":"2022-07-20T09:00:00+01:00","data":{"referralId":"R1"}}""" + "\n");

        await JsonLinesImporter.ImportAsync(file, Append);

        var stream = await db.EventStore.ReadStreamAsync("e2e-history", "H1");
        // A date-only occurrence is known from 00:00 London time of its date (23:00 UTC the day before in summer).
        stream.Select(e => (e.Type, e.RecordedAtInferred, Domain.Time.OccurrenceText.Format(e.RecordedAt))).ShouldBe(
        [
            ("ReferralReceived", true, "2022-07-04T00:00:00+01:00"),
            ("ReferralDecisionMade", true, "2022-07-05T10:30:00+01:00"),
            ("CaseClosed", false, "2022-07-20T09:00:00+01:00"),
        ]);
    }

    [Fact]
    public async Task A_json_lines_file_with_a_bad_line_stores_nothing()
    {
        using var folder = new TempFolder();
        var good = """{"id":"6b9c3a52-5d0e-4f7e-9d43-3c0f5e7b1a01","tenant":"e2e-jsonl","child":"J1","type":"CoreGroupHeld","occurredAt":"2022-10-03","data":{"planId":"P1"}}""";
        var file = folder.Write("e.jsonl", good + "\n" + """{"id":"nope"}""" + "\n");

        var summary = await JsonLinesImporter.ImportAsync(file, Append);

        summary.EventsAppended.ShouldBe(0);
        summary.RowsRejected.ShouldBe(1);
        (await db.EventStore.ReadStreamAsync("e2e-jsonl", "J1")).ShouldBeEmpty();

        var clean = await JsonLinesImporter.ImportAsync(folder.Write("f.jsonl", good + "\n"), Append);
        clean.EventsAppended.ShouldBe(1);
    }

    [Fact]
    public async Task A_json_lines_import_stopped_half_way_appends_only_what_is_missing_when_run_again()
    {
        using var folder = new TempFolder();
        var file = folder.Write("crash.jsonl", string.Join("\n", Enumerable.Range(1, 10).Select(n =>
            $$$"""{"id":"7b9c3a52-5d0e-4f7e-9d43-3c0f5e7b{{{n:x4}}}","tenant":"e2e-crash","child":"J{{{n % 3}}}","type":"CoreGroupHeld","occurredAt":"2022-10-{{{n:00}}}","data":{"planId":"P{{{n}}}"}}""")));
        var limits = ImportLimits.Default with { BatchEvents = 4 };
        var batches = 0;
        // the process dies after committing two batches: the third never reaches the store
        Task<AppendCounts> CrashOnThird(IReadOnlyList<Domain.Events.PathwayEvent> events, CancellationToken ct) =>
            ++batches == 3 ? throw new IOException("killed") : Append(events, ct);

        await Should.ThrowAsync<IOException>(() => JsonLinesImporter.ImportAsync(file, CrashOnThird, limits: limits));
        var rerun = await JsonLinesImporter.ImportAsync(file, Append, limits: limits);

        rerun.EventsAlreadyPresent.ShouldBe(8);
        rerun.EventsAppended.ShouldBe(2);
        var stored = new List<StoredEvent>();
        foreach (var child in new[] { "J0", "J1", "J2" }) stored.AddRange(await db.EventStore.ReadStreamAsync("e2e-crash", child));
        stored.Count.ShouldBe(10);
        stored.Select(e => e.Id).ShouldBeUnique();
    }
}
