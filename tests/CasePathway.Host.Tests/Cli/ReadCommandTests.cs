using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using Shouldly;

namespace CasePathway.Host.Tests.Cli;

/// <summary>
/// breaches, report clocks, replay and projections against a real database, run in-process. Events are
/// appended straight to the store and no projection runs in the background: every command must catch
/// up on what was committed before it started.
/// </summary>
[Collection(CliEnvironment.Name)]
public class ReadCommandTests : CliTestBase
{
    private static PathwayEvent E(string child, string local, IPathwayEventData data, string tenant = "LA") =>
        new(Guid.NewGuid(), tenant, child, Occurrence.At(London.InstantOf(OccurrenceText.ParseLocalDateTime(local)!.Value)), data,
            London.InstantOf(OccurrenceText.ParseLocalDateTime(local)!.Value), "qa");

    private Task AppendAsync(params PathwayEvent[] events) => Db.EventStore.BulkAppendAsync(events.ToStreamAppends(inferRecordedAt: false));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AppendAsync(
            E("C1", "2022-09-13T09:00", new CaseAllocated("Team A", "ann")),
            E("C1", "2022-09-13T10:00", new ReferralReceived("R1")),
            E("C2", "2022-09-13T15:00", new ContactReceived("K1", ContactRoute.Mash)),
            E("C1", "2022-09-13T10:00", new ReferralReceived("R9"), tenant: "OTHER"));
    }

    [Fact]
    public async Task Breaches_csv_has_the_contract_header_and_shows_events_committed_before_the_command()
    {
        var (exit, output, error) = await Run("breaches", "--tenant", "LA", "--format", "csv");
        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'); // CSV records end in CRLF (RFC 4180)
        // the contract's columns, then the reason for delay (none recorded here)
        lines[0].ShouldBe("tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote");
        lines.Skip(1).ShouldBe([
            "LA,C1,referral-decision,R1,Team A,ann,2022-09-13,2022-09-14,breached,2 working days overdue,,",
            "LA,C2,mash-screening,K1,,,2022-09-13T15:00,2022-09-16T15:00,running,5 working hours left,,",
        ]);

        // Appended after the first command: the next one shows it without any server running.
        await AppendAsync(E("C3", "2022-09-15T11:00", new ReferralReceived("R3")));
        (await Run("breaches", "--tenant", "LA", "--format", "csv")).Out.ShouldContain("LA,C3,referral-decision,R3,,,2022-09-15,2022-09-16,running,due today");
    }

    [Fact]
    public async Task Breaches_json_parses_and_table_counts_per_rule()
    {
        var (exit, output, _) = await Run("breaches", "--tenant", "LA", "--format", "json", "--within", "3");
        exit.ShouldBe(0);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("tenant").GetString().ShouldBe("LA");
        doc.RootElement.GetProperty("rows").GetArrayLength().ShouldBe(2);
        doc.RootElement.GetProperty("countsByRule").GetProperty("referral-decision").GetInt32().ShouldBe(1);

        var table = await Run("breaches", "--tenant", "LA", "--rule", "mash-screening");
        table.Exit.ShouldBe(0);
        table.Out.ShouldContain("5 working hours left");
        table.Out.ShouldNotContain("referral-decision  ");
    }

    [Fact]
    public async Task Report_clocks_csv_and_json()
    {
        var (exit, output, _) = await Run("report", "clocks", "--tenant", "LA");
        exit.ShouldBe(0);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'); // CSV records end in CRLF (RFC 4180)
        lines[0].ShouldStartWith("tenant,child,rule,episode,started,due,stopped,status,elapsed");
        lines.ShouldContain(l => l.StartsWith("LA,C1,referral-decision,R1,2022-09-13,2022-09-14,,breached,3,", StringComparison.Ordinal));
        lines.Skip(1).ShouldAllBe(l => l.StartsWith("LA,", StringComparison.Ordinal));

        var json = await Run("report", "clocks", "--tenant", "LA", "--format", "json", "--as-at", "2022-09-13T12:00");
        json.Exit.ShouldBe(0);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.EnumerateArray().Select(c => c.GetProperty("rule").GetString()).ShouldBe(["referral-decision", "assessment"], ignoreOrder: true);
    }

    [Fact]
    public async Task Clocks_csv_neutralises_text_a_spreadsheet_would_run_and_keeps_numbers()
    {
        await AppendAsync(
            E("C9", "2022-09-13T09:00", new CaseAllocated("=cmd|' /C calc'!A0", "@worker")),
            E("C9", "2022-09-13T10:00", new ReferralReceived("-R9")));
        var (exit, output, _) = await Run("report", "clocks", "--tenant", "LA", "--format", "csv");
        exit.ShouldBe(0);
        var row = output.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("LA,C9,referral-decision,", StringComparison.Ordinal));
        row.ShouldStartWith("LA,C9,referral-decision,'-R9,2022-09-13,2022-09-14,,breached,3,");
        row.ShouldEndWith(",'=cmd|' /C calc'!A0,'@worker");
    }

    [Fact]
    public async Task Replay_of_an_unknown_child_fails_with_a_clear_message()
    {
        var (exit, output, error) = await Run("replay", "NOPE", "--tenant", "LA");
        exit.ShouldNotBe(0);
        error.ShouldContain("NOPE");
        error.ShouldContain("LA");
        output.ShouldBeEmpty();
        // Tenant B's child C1 is not tenant A's.
        (await Run("replay", "C1", "--tenant", "NOBODY")).Exit.ShouldNotBe(0);
    }

    [Fact]
    public async Task Replay_json_parses_and_shows_only_the_tenants_events()
    {
        var (exit, output, _) = await Run("replay", "C1", "--tenant", "LA", "--format", "json");
        exit.ShouldBe(0);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["CaseAllocated", "ReferralReceived"]);
        output.ShouldNotContain("R9");
    }

    [Fact]
    public async Task Breaches_table_shows_the_reason_for_delay()
    {
        await AppendAsync(E("C1", "2022-09-15T09:00", new BreachReasonRecorded("referral-decision", "R1", "other", "Interpreter not available until Friday")));
        var (exit, output, _) = await Run("breaches", "--tenant", "LA");
        exit.ShouldBe(0);
        output.ShouldContain("reason for delay");
        output.ShouldContain("“Interpreter"); // a long note wraps within its column
    }

    [Fact]
    public async Task The_demo_dataset_holds_reasons_for_delay_recorded_through_the_one_way_in()
    {
        var load = await Run("demo", "load", "--children", "150");
        load.Exit.ShouldBe(0, load.Err);
        load.Out.ShouldContain("with 5 reasons for delay");
        var (exit, output, _) = await Run("breaches", "--tenant", "demo", "--format", "json");
        exit.ShouldBe(0);
        var reasons = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray()
            .Where(r => r.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.Object)
            .Select(r => r.GetProperty("reason")).ToList();
        reasons.Select(r => r.GetProperty("code").GetString()).ShouldBe(["staffing", "awaiting-partner", "family-unavailable", "recording-delay", "other"], ignoreOrder: true);
        reasons.ShouldAllBe(r => r.GetProperty("recordedBy").GetString() == "demo-duty-manager");
        // each an event of the child's stream, as the pages record it
        var child = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray()
            .First(r => r.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.Object).GetProperty("child").GetString()!;
        (await Run("replay", child, "--tenant", "demo", "--format", "json")).Out.ShouldContain("\"BreachReasonRecorded\"");
        (await Run("breaches", "--tenant", "demo")).Out.ShouldContain("“Interpreter");
    }

    [Fact]
    public async Task Replay_table_and_clock_explanations_read_in_words()
    {
        var (exit, output, _) = await Run("replay", "C1", "--tenant", "LA", "--as-at", "2022-09-16T12:00");
        exit.ShouldBe(0);
        output.ShouldContain("Tue 13 Sep 2022 09:00");
        output.ShouldContain("Allocated to ann in Team A");
        output.ShouldContain("Referral received");
        // the explanation is a line of its own, in the timeline's words and dates
        output.ShouldContain("referral-decision R1: Started by “Referral received”. 1 working day from Tue 13 Sep 2022: due Wed 14 Sep 2022. Still open at Fri 16 Sep 2022: breached, 2 working days overdue.");
        foreach (var type in EventTypes.Names) output.ShouldNotContain(type);
        // the clocks table too: dates as the page writes them, units and statuses in words, no wire names
        output.ShouldContain("Wed 14 Sep 2022");
        output.ShouldContain("Breached");
        output.ShouldNotContain("working-days");
        output.ShouldNotContain("2022-09-14");

        var json = await Run("report", "clocks", "--tenant", "LA", "--format", "json", "--as-at", "2022-09-16T12:00");
        using var doc = JsonDocument.Parse(json.Out);
        var explanation = doc.RootElement.EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "referral-decision").GetProperty("explanation").GetString();
        explanation.ShouldBe("Started by “Referral received”. 1 working day from Tue 13 Sep 2022: due Wed 14 Sep 2022. Still open at Fri 16 Sep 2022 12:00: breached, 2 working days overdue.");
    }

    [Theory]
    [InlineData("breaches", "--tenant", "LA", "--as-at", "yesterday")]
    [InlineData("report", "clocks", "--tenant", "LA", "--as-at", "2022-13-01T09:00")]
    [InlineData("replay", "C1", "--tenant", "LA", "--as-at", "2022-09-16 10:00")]
    [InlineData("breaches", "--tenant", "LA", "--as-at", "2022-03-27T01:30")] // the hour the clocks skip
    [InlineData("breaches", "--tenant", "LA", "--as-at", "0001-01-01T00:00")]
    public async Task A_bad_as_at_exits_2_naming_the_option(params string[] args)
    {
        var (exit, _, error) = await Run(args);
        exit.ShouldBe(2);
        error.ShouldContain("--as-at");
    }

    [Fact]
    public async Task Projections_status_and_rebuild()
    {
        var before = await Run("projections", "status", "--format", "json");
        before.Exit.ShouldBe(0);
        using (var doc = JsonDocument.Parse(before.Out))
        {
            var projections = doc.RootElement.EnumerateArray().ToList();
            projections.Select(p => p.GetProperty("name").GetString()).ShouldBe(["pathways", "scorecard"]);
            var pathways = projections[0];
            pathways.GetProperty("highWaterMark").GetInt64().ShouldBe(4);
            pathways.GetProperty("lag").GetInt64().ShouldBe(4, "nothing has caught up yet");
        }

        var rebuild = await Run("projections", "rebuild");
        rebuild.Exit.ShouldBe(0);
        rebuild.Out.ShouldContain("pathways: rebuilt to position 4");
        rebuild.Out.ShouldContain("scorecard: rebuilt to position 4");

        var after = await Run("projections", "status");
        after.Exit.ShouldBe(0);
        after.Out.ShouldContain("pathways");

        var unknown = await Run("projections", "rebuild", "nonsense");
        unknown.Exit.ShouldBe(2);
        unknown.Err.ShouldContain("nonsense");
    }
}
