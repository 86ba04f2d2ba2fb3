using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.BreachReasons;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using CasePathway.Store.Pathways;
using NodaTime;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// Reasons for delay through the real database: appended through the one way in (checked against the child's
/// clocks and the council's list), kept by the pathways projection as versions, read by the breach list (now and
/// as at), the CSV, the child's replay and the board's count, and rebuilt to the same rows.
/// C1's ICPC clock (S47 started Thu 15 Sep 2022) is due Fri 7 Oct and breached from Sat 8 Oct; C2's (started
/// Mon 19 Sep, due Mon 10 Oct) is breached from Tue 11 Oct; C3's was met on 5 Oct.
/// </summary>
public class BreachReasonReadTests : IAsyncLifetime
{
    private const string T = "LA";
    private static readonly Instant Now = At("2022-10-20T09:00");
    private ProjectionDatabase _db = null!;

    private static readonly TenantDirectory Tenants = new([
        new TenantSettings(T, BreachReasons: BreachReasonList.Of([
            new("court", "Waiting for the court"), new("staffing", "No worker available"), new("other", "Other", NoteRequired: true)]).List),
    ]);

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync(tenants: Tenants);
        await _db.Store.AppendAsync(
            E(T, "C1", "2022-09-15T09:00", new CaseAllocated("Team A", "ann")),
            E(T, "C1", "2022-09-15T10:00", new Section47Started("S1")),
            E(T, "C2", "2022-09-19T10:00", new Section47Started("S2")),
            E(T, "C3", "2022-09-15T10:00", new Section47Started("S3")),
            E(T, "C3", "2022-10-05T10:00", new InitialChildProtectionConferenceHeld("S3")));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private PathwayAppender Appender(string now) => _db.Appender(Tenants.For, new FixedClock(At(now)));

    private static PathwayEvent Reason(string child, string rule, string episode, string code, string? note = null) =>
        new(Guid.NewGuid(), T, child, Occurrence.At(Now), new BreachReasonRecorded(rule, episode, code, note), RecordedBy: "manager-m");

    private async Task<AppendOutcome> RecordAsync(string at, PathwayEvent e)
    {
        var outcome = await Appender(at).AppendAsync([e with { OccurredAt = Occurrence.At(At(at)), RecordedAt = At(at) }], AppendSource.Live, allOrNothing: true);
        await _db.CatchUpAsync();
        return outcome;
    }

    private Task<BreachList> Breaches(Instant? asAt = null) =>
        new BreachListQuery(_db.DataSource, Tenants, new FixedClock(Now)).GetAsync(new BreachListRequest(T, asAt));

    [Fact]
    public async Task A_reason_is_checked_at_the_door_against_the_council_s_list_and_the_child_s_clocks()
    {
        var unknown = await RecordAsync("2022-10-11T09:00", Reason("C1", "icpc", "S1", "awaiting-partner"));
        unknown.Refused.ShouldBeTrue();
        unknown.Rejected.ShouldHaveSingleItem().Problems.ShouldHaveSingleItem().Field.ShouldBe("data.reason");

        var met = await RecordAsync("2022-10-11T09:00", Reason("C3", "icpc", "S3", "staffing"));
        met.Rejected.ShouldHaveSingleItem().Problems.ShouldHaveSingleItem().Field.ShouldBe("data.episode");

        var noNote = await RecordAsync("2022-10-11T09:00", Reason("C1", "icpc", "S1", "other"));
        noNote.Rejected.ShouldHaveSingleItem().Problems.ShouldHaveSingleItem().Field.ShouldBe("data.note");

        (await _db.ScalarAsync("select count(*) from breach_reasons")).ShouldBe(0, "nothing refused was stored");
        (await _db.Store.ReadStreamAsync(T, "C1")).ShouldNotContain(e => e.Type == "BreachReasonRecorded");
    }

    [Fact]
    public async Task The_breach_list_shows_each_clock_s_reason_as_known_now_and_as_at_and_the_csv_appends_it()
    {
        (await RecordAsync("2022-10-11T09:00", Reason("C1", "icpc", "S1", "staffing", "two workers off sick"))).Refused.ShouldBeFalse();
        (await RecordAsync("2022-10-12T09:00", Reason("C1", "icpc", "S1", "court"))).Refused.ShouldBeFalse();

        var now = await Breaches();
        var c1 = now.Rows.Single(r => r.Child == "C1");
        c1.Reason.ShouldNotBeNull();
        (c1.Reason.Code, c1.Reason.Label, c1.Reason.Note, c1.Reason.RecordedBy).ShouldBe(("court", "Waiting for the court", null, "manager-m"));
        now.Rows.Single(r => r.Child == "C2").Reason.ShouldBeNull();

        // as at a moment between the two: the first reason; before the first: none
        var between = (await Breaches(At("2022-10-11T12:00"))).Rows.Single(r => r.Child == "C1").Reason!;
        (between.Code, between.Note).ShouldBe(("staffing", "two workers off sick"));
        (await Breaches(At("2022-10-10T12:00"))).Rows.Where(r => r.Child == "C1").ShouldAllBe(r => r.Reason == null);

        (await _db.RowsAsync("select reason, known_to is null as open from breach_reasons order by known_from"))
            .ShouldBe(["reason=staffing | open=False", "reason=court | open=True"]);

        var csv = BreachCsv.Write(now.Rows);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].ShouldBe("tenant,child,rule,episode,team,worker,started,due,status,remaining,reason,reasonNote");
        lines.Single(l => l.StartsWith("LA,C1,icpc,")).ShouldEndWith(",court,");
        lines.Single(l => l.StartsWith("LA,C2,icpc,")).ShouldEndWith(",,");
    }

    [Fact]
    public async Task The_child_s_replay_shows_a_reason_only_once_it_was_recorded_and_a_retraction_withdraws_it()
    {
        var reason = Reason("C1", "icpc", "S1", "staffing");
        (await RecordAsync("2022-10-11T09:00", reason)).Refused.ShouldBeFalse();
        var replay = new ChildReplayQuery(_db.Store, Tenants, new FixedClock(Now));

        (await replay.GetAsync(T, "C1"))!.Clocks.Single(c => c.Rule == "icpc").Reason!.Label.ShouldBe("No worker available");
        (await replay.GetAsync(T, "C1", At("2022-10-11T08:59")))!.Clocks.Single(c => c.Rule == "icpc").Reason.ShouldBeNull();
        (await replay.GetAsync(T, "C1", At("2022-10-11T09:00")))!.Clocks.Single(c => c.Rule == "icpc").Reason.ShouldNotBeNull();

        var stored = (await _db.Store.ReadStreamAsync(T, "C1")).Single(e => e.Type == "BreachReasonRecorded");
        (await RecordAsync("2022-10-13T09:00", new PathwayEvent(Guid.NewGuid(), T, "C1", Occurrence.At(Now), new EventRetracted(stored.Id)))).Refused.ShouldBeFalse();
        (await replay.GetAsync(T, "C1", At("2022-10-13T10:00")))!.Clocks.Single(c => c.Rule == "icpc").Reason.ShouldBeNull();
        (await replay.GetAsync(T, "C1", At("2022-10-12T10:00")))!.Clocks.Single(c => c.Rule == "icpc").Reason.ShouldNotBeNull("as the authority knew it before the retraction");
        (await Breaches()).Rows.Single(r => r.Child == "C1").Reason.ShouldBeNull();
        (await Breaches(At("2022-10-12T10:00"))).Rows.Single(r => r.Child == "C1").Reason.ShouldNotBeNull();

        var live = await _db.DumpAsync();
        await _db.RebuildAsync();
        (await _db.DumpAsync()).BreachReasons.ShouldBe(live.BreachReasons);
        live.BreachReasons.Count.ShouldBe(1, "one version, closed by the retraction");
    }

    [Fact]
    public async Task The_board_counts_the_month_s_breaches_by_reason_leaving_out_met_clocks()
    {
        (await RecordAsync("2022-10-11T09:00", Reason("C1", "icpc", "S1", "court"))).Refused.ShouldBeFalse();
        var board = await new BreachReasonCountsQuery(_db.DataSource, Tenants, new FixedClock(Now)).GetAsync(T, new YearMonth(2022, 10), default);
        board.Breaches.ShouldBe(2, "C1 and C2 fell overdue in October; C3 was met");
        board.Rows.Select(r => (r.Code, r.Breaches)).ShouldBe([("court", 1), ("staffing", 0), ("other", 0), (null, 1)]);
        board.Rows[^1].Label.ShouldBe("No reason recorded");

        var september = await new BreachReasonCountsQuery(_db.DataSource, Tenants, new FixedClock(Now)).GetAsync(T, new YearMonth(2022, 9), default);
        september.Breaches.ShouldBe(0);
    }

    [Fact]
    public void A_council_file_configures_its_reasons_and_a_bad_list_is_named()
    {
        var folder = Directory.CreateTempSubdirectory("cp-reasons-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "357.json"),
                """{"tenant": "357", "breachReasons": [{"code": "court", "label": "Waiting for the court"}, {"code": "other", "label": "Other", "noteRequired": true}]}""");
            var reasons = TenantDirectory.Load(folder.FullName).For("357").Reasons;
            reasons.Codes.Select(c => (c.Code, c.NoteRequired)).ShouldBe([("court", false), ("other", true)]);
            TenantDirectory.Load(folder.FullName).For("999").Reasons.ShouldBe(BreachReasonList.Default);

            File.WriteAllText(Path.Combine(folder.FullName, "357.json"), """{"tenant": "357", "breachReasons": [{"code": "Court!", "label": "x"}]}""");
            Should.Throw<InvalidDataException>(() => TenantDirectory.Load(folder.FullName))
                .Message.ShouldBe("357.json: breachReasons[0].code: 'Court!' must be 1–64 characters of a–z, 0–9 and '-'");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
